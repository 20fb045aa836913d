import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? 8080);
// The page sits next to this file, so the server finds it from whatever folder it is started in.
const pageFile = new URL('./public/index.html', import.meta.url);

// Job 1: ordinary HTTP requests. The chat page at /, and 404 for every other path.
const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET' || pathname !== '/') {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  try {
    // Read on every request: edit the page, reload the browser, no restart needed.
    const page = await readFile(pageFile);
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  } catch (error) {
    console.error('Could not read the page:', error);
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The page is missing\n');
  }
});

// Job 2: WebSocket upgrades. Attached to the same HTTP server, so it shares its port.
const wss = new WebSocketServer({ server });

// The lesson 06 chat: a connection's first message is its name; after that, it chats.
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
