// mutant: answers the close frame but leaves the TCP connection open
// fails: close
// message: /to end the TCP connection after its close frame, but it stayed open/
// passes: hello
import type { Duplex } from 'node:stream';
import { serve } from './_handshake.ts';

serve({
  answerClose: (socket: Duplex, chunk: Buffer) => {
    const mask = chunk.subarray(2, 6);
    const code = [chunk[6]! ^ mask[0]!, chunk[7]! ^ mask[1]!];
    socket.write(Buffer.from([0x88, 2, ...code]));
  },
});
