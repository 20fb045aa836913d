// mutant: sends the page with Content-Type text/plain
// fails: page
// message: /Content-Type text\/plain.*text\/html/s
// passes: not-found, same-port
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { attachChat, port, referencePage } from './_chat-server.ts';

const page = referencePage();
const server = createServer((request, response) => {
  if (request.url !== '/') return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': 'text/plain' }).end(page);
});
attachChat(new WebSocketServer({ server }));
server.listen(port, '127.0.0.1');
