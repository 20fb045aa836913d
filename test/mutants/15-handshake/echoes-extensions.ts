// mutant: echoes every Sec-WebSocket-Extensions the client offers, as if it spoke them all
// fails: browser
// message: /browser's error: Error during WebSocket handshake/
// passes: accept, hello, close, ws-client
import type { IncomingMessage } from 'node:http';
import { serve } from './_handshake.ts';

serve({
  extraHeaders: (request: IncomingMessage): Record<string, string> => {
    const offered = request.headers['sec-websocket-extensions'];
    return offered ? { 'Sec-WebSocket-Extensions': offered } : {};
  },
});
