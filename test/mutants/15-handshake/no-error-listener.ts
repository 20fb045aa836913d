// mutant: no 'error' listener on the upgraded socket, so a reset connection stops the server
// fails: connection-reset
// message: /stopped after a client reset its connection.*socket\.on\('error'/s
// passes: hello, clean-disconnect
import { serve } from './_handshake.ts';

serve({ listensForErrors: false });
