// mutant: the server escapes HTML in every chat line "to protect the browsers", so the page shows &lt; where the sender typed <
// fails: browser-text-only
// message: /#messages shows .*"\[Mallory\]: &lt;img.*The server sent it changed.*escaped its HTML/s
// passes: page, same-port, browser-connects
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const page = await readFile(new URL('../../../solutions/08-browser/public/index.html', import.meta.url), 'utf8');
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const server = createServer((request, response) => {
  if (request.url !== '/') return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
});
const wss = new WebSocketServer({ server });
const names = new Map<WebSocket, string>();
const sendToOthers = (sender: WebSocket, text: string) => {
  for (const [client] of names) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
};
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const text = escapeHtml(data.toString());
    const name = names.get(socket);
    if (name !== undefined) return sendToOthers(socket, `[${name}]: ${text}`);
    const wanted = text.trim();
    if (wanted === '') return void socket.send('[Server]: Name cannot be empty.');
    names.set(socket, wanted);
    socket.send(`[Server]: Welcome, ${wanted}!`);
    sendToOthers(socket, `[Server]: ${wanted} has joined the chat.`);
  });
  socket.on('close', () => {
    const name = names.get(socket);
    if (name === undefined) return;
    names.delete(socket);
    sendToOthers(socket, `[Server]: ${name} has left the chat.`);
  });
});
server.listen(port, '127.0.0.1');
