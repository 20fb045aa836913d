// mutant: gives the WebSocketServer a port of its own (PORT + 1) instead of sharing the HTTP server's
// fails: same-port
// message: /could not be opened.*new WebSocketServer\(\{ server \}\)/s
// passes: page, not-found
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { attachChat, pageWith, port } from './_chat-server.ts';

const page = pageWith(['new WebSocket(`${scheme}//${location.host}`)', 'new WebSocket(`${scheme}//${location.hostname}:${Number(location.port) + 1}`)']);
const server = createServer((request, response) => {
  if (request.url !== '/') return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
});
server.listen(port, '127.0.0.1');
attachChat(new WebSocketServer({ host: '127.0.0.1', port: port + 1 }));
