// mutant: sends the SHA-1 digest in hex instead of base64
// fails: accept
// message: /Sec-WebSocket-Accept is [0-9a-f]{40}.*hex.*base64/s
import { createHash } from 'node:crypto';
import { GUID, serve } from './_handshake.ts';

serve({ acceptFor: (key) => createHash('sha1').update(key + GUID).digest('hex') });
