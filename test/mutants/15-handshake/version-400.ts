// mutant: treats another version as a broken request: 400 instead of 426
// fails: wrong-version
// message: /answered "HTTP\/1.1 400 Bad Request" where the status must be 426.*Sec-WebSocket-Version: 13/s
// passes: accept, bad-request
import { refuse, serve } from './_handshake.ts';

serve({ refuseVersion: (socket) => refuse(socket, '400 Bad Request') });
