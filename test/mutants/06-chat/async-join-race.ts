// mutant: an async name check runs before the name is recorded, so a message sent right after the name (without waiting for the welcome) is taken as a second name
// fails: name-and-line-at-once
// message: /taken as a name/
// passes: welcome, join-notice, broadcast, not-to-sender
// breaks: "Once a client has a name it has joined ... Every later message `m` from Alice is sent to every other joined user as `[Alice]: m`"
import { readFile } from 'node:fs/promises';
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const users = new Map<WebSocket, string>();

// optional list of names nobody may use, one per line, next to this file
async function isBanned(name: string): Promise<boolean> {
  try {
    const list = await readFile(new URL('./banned-names.txt', import.meta.url), 'utf8');
    return list.split('\n').some((line) => line.trim() === name);
  } catch {
    return false; // no list, nobody banned
  }
}

function broadcast(text: string, except?: WebSocket) {
  for (const client of users.keys()) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('connection error:', err.message));

  ws.on('message', async (data) => {
    const text = data.toString();
    const name = users.get(ws);
    if (name === undefined) {
      const wanted = text.trim();
      if (wanted === '') {
        ws.send('[Server]: Name cannot be empty.');
        return;
      }
      if (await isBanned(wanted)) {
        ws.send('[Server]: That name is not allowed.');
        return;
      }
      users.set(ws, wanted);
      ws.send(`[Server]: Welcome, ${wanted}!`);
      broadcast(`[Server]: ${wanted} has joined the chat.`, ws);
      return;
    }
    broadcast(`[${name}]: ${text}`, ws);
  });

  ws.on('close', () => {
    const name = users.get(ws);
    if (name === undefined) return;
    users.delete(ws);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
