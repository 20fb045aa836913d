// mutant: sends each chat line to everyone, the sender too ("so my page shows what I typed")
// fails: not-to-sender
// message: /(\w+) received \1's own message back.*skip the connection it came from/s
// passes: page, same-port, welcome, join-notice, broadcast
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { port, referencePage } from './_chat-server.ts';

const page = referencePage();
const server = createServer((request, response) => {
  if (request.url !== '/') return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
});
const wss = new WebSocketServer({ server });
const names = new Map<WebSocket, string>();
const sendToAll = (text: string) => {
  for (const [client] of names) if (client.readyState === WebSocket.OPEN) client.send(text);
};
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const name = names.get(socket);
    if (name !== undefined) return sendToAll(`[${name}]: ${data}`);
    const wanted = data.toString().trim();
    if (wanted === '') return socket.send('[Server]: Name cannot be empty.');
    sendToAll(`[Server]: ${wanted} has joined the chat.`);
    names.set(socket, wanted);
    socket.send(`[Server]: Welcome, ${wanted}!`);
  });
  socket.on('close', () => {
    const name = names.get(socket);
    if (name === undefined) return;
    names.delete(socket);
    sendToAll(`[Server]: ${name} has left the chat.`);
  });
});
server.listen(port, '127.0.0.1');
