// mutant: looks commands up in a plain object, so "toString" finds the object's own method and gets no answer
// fails: unknown-command
// message: /"Unknown command: toString", but nothing arrived.*plain object.*Map/s
// passes: counts, bye
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();
const online = () => [...clients].filter((client) => client.readyState === WebSocket.OPEN).length;

const commands: Record<string, (socket: WebSocket) => void> = {
  count: (socket) => socket.send(`Clients online: ${online()}`),
  bye: (socket) => socket.close(1000, 'Goodbye!'),
};

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', (error) => console.error(error.message));
  socket.on('close', () => clients.delete(socket));
  socket.send(`Welcome! Clients online: ${online()}`);
  socket.on('message', (data) => {
    const text = data.toString();
    const command = commands[text];
    if (command) command(socket);
    else socket.send(`Unknown command: ${text}`);
  });
});
