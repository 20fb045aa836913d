// mutant: answers "You said" only once the broadcast has gone out, awaiting each send's callback, and resolves only on success: a send to a leaving client never settles
// fails: leaving-client
// message: /alice expected the text message \"You said: is carol still here\?\", but nothing arrived.*earlier messages were answered.*never finished handling it/s
// passes: you-said, others-hear, not-to-sender, server-lines
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

// "Only tell the sender once everybody has it."
function sendText(client: WebSocket, text: string): Promise<void> {
  return new Promise((resolve) =>
    client.send(text, (error) => {
      if (error) console.error(`Could not send: ${error.message}`);
      else resolve();
    }),
  );
}

async function broadcast(text: string, except?: WebSocket): Promise<void> {
  for (const client of clients) if (client !== except) await sendText(client, text);
}

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', (error) => console.error(error.message));
  socket.on('close', () => clients.delete(socket));
  socket.on('message', async (data) => {
    await broadcast(`Someone says: ${data}`, socket);
    await sendText(socket, `You said: ${data}`);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => void broadcast(`Server: ${line}`));
