// mutant: hashes the key alone, forgetting to append the GUID
// fails: accept
// message: /SHA-1 of the key alone.*GUID/s
import { createHash } from 'node:crypto';
import { serve } from './_handshake.ts';

serve({ acceptFor: (key) => createHash('sha1').update(key).digest('base64') });
