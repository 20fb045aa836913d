// mutant: answers every close frame with code 1000, whatever code the client sent
// fails: close
// message: /close-4001.*its code is 1000.*client's own code/s
// passes: hello
import type { Duplex } from 'node:stream';
import { serve } from './_handshake.ts';

serve({ answerClose: (socket: Duplex) => socket.end(Buffer.from([0x88, 2, 0x03, 0xe8])) });
