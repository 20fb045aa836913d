// mutant: takes any key, never checking that it is the base64 of 16 bytes
// fails: bad-request
// message: /short-key.*"HTTP\/1.1 101 Switching Protocols" where the status must be 400.*16 bytes/s
// passes: accept, wrong-version
import { serve } from './_handshake.ts';

serve({ isValidKey: (key) => key !== undefined && key !== '' });
