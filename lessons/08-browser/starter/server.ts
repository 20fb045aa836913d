import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8080);

// Job 1: ordinary HTTP requests.
const server = createServer((request, response) => {
  console.log(`${request.method} ${request.url}`);
  // TODO 1: when the path is "/", answer 200 with the page, public/index.html, and the header
  //   Content-Type: text/html; charset=utf-8. Every other path keeps the 404 below.
  //   The page's file, wherever the server is started from: new URL('./public/index.html', import.meta.url)
  //   Read it with readFile from 'node:fs/promises'.
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
});

// Job 2: WebSocket upgrades.
// TODO 2: this WebSocketServer is connected to nothing, so no browser can reach it. Attach it
//   to the HTTP server above, so that upgrade requests on the same port reach it:
//   new WebSocketServer({ server })
const wss = new WebSocketServer({ noServer: true });

// The chat of lesson 06, ready to use (paste in your own if you prefer): a connection's first
// message is its name; after that, each message goes to every other joined user.
const names = new Map<WebSocket, string>();

function sendToOthers(sender: WebSocket, text: string): void {
  for (const [client] of names) {
    if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error('Connection error:', error.message));

  socket.on('message', (data) => {
    const text = data.toString();
    const name = names.get(socket);
    if (name !== undefined) {
      sendToOthers(socket, `[${name}]: ${text}`);
      return;
    }
    const wanted = text.trim();
    if (wanted === '') {
      socket.send('[Server]: Name cannot be empty.');
      return;
    }
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

server.listen(port, '127.0.0.1', () => {
  console.log(`Chat page on http://localhost:${port} (open it in two browser tabs)`);
});
