// mutant: answers a plain HTTP request with a friendly 200 page instead of 426
// fails: plain-http
// message: /answered "HTTP\/1.1 200 OK" where the status must be 426.*Upgrade: websocket/s
// passes: bad-request, accept
import { serve } from './_handshake.ts';

serve({
  plainRequest: (request, response) => {
    if (request.headers.upgrade || /upgrade/i.test(request.headers.connection ?? '')) return void response.writeHead(400).end();
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('This is a WebSocket server. Connect with ws://\n');
  },
});
