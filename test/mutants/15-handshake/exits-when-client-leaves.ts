// mutant: stops the whole server once a client has said goodbye ("that client is done, so are we")
// fails: clean-disconnect
// message: /stopped after a client closed its connection|exited with status 0\) while \w+ was connected.*process\.exit\(\)/s
// passes: accept, hello
import type { Duplex } from 'node:stream';
import { reference, serve } from './_handshake.ts';

serve({
  answerClose: (socket: Duplex, chunk: Buffer) => {
    reference.answerClose(socket, chunk);
    socket.on('close', () => process.exit(0));
  },
});
