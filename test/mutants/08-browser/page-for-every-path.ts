// mutant: answers every request with the page, whatever the path
// fails: not-found
// message: /answered with status 200.*answers every request with the page/s
// passes: page, same-port, browser-chat
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { attachChat, port, referencePage } from './_chat-server.ts';

const page = referencePage();
const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
});
attachChat(new WebSocketServer({ server }));
server.listen(port, '127.0.0.1');
