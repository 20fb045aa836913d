// mutant: decodes the key's base64 before hashing it ("the key is base64, so decode it first")
// fails: handshake
// message: /Sec-WebSocket-Accept is .*do not decode its base64 first/s
import { createHash } from 'node:crypto';
import { GUID } from '../15-handshake/_handshake.ts';
import { Connection, serveFrames } from './_frames.ts';

serveFrames(Connection, { acceptFor: (key) => createHash('sha1').update(Buffer.from(key, 'base64').toString('latin1') + GUID).digest('base64') });
