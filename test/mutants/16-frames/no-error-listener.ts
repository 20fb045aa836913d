// mutant: no 'error' listener on the upgraded socket, so a reset connection stops the server
// fails: connection-reset
// message: /stopped after a client reset its connection.*socket\.on\('error'/s
// passes: echo, close
import type { Duplex } from 'node:stream';
import { serve } from '../15-handshake/_handshake.ts';
import { Connection } from './_frames.ts';

serve({
  listensForErrors: false,
  opened: (socket: Duplex) => {
    const connection = new Connection(socket);
    socket.on('data', (chunk: Buffer) => connection.receive(chunk));
  },
});
