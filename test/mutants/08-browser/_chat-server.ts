import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * Shared parts of the lesson 08 mutants (not a mutant itself: its name starts with "_").
 * A mutant of the page is the reference page with one mistake swapped in, served by a correct
 * server; a mutant of the server builds its own server around the lesson 06 chat below.
 */
export const port = Number(process.env.PORT ?? 8080);

export function referencePage(): string {
  return readFileSync(new URL('../../../solutions/08-browser/public/index.html', import.meta.url), 'utf8');
}

/** The reference page with each [from, to] swapped in; a swap that finds nothing is an error, so a mutant never goes stale silently. */
export function pageWith(...swaps: [from: string, to: string][]): string {
  return swaps.reduce((page, [from, to]) => {
    if (!page.includes(from)) throw new Error(`The reference page no longer contains ${JSON.stringify(from)}`);
    return page.replace(from, to);
  }, referencePage());
}

/** The lesson 06 chat protocol on every connection of `wss`. */
export function attachChat(wss: WebSocketServer): void {
  const names = new Map<WebSocket, string>();
  const sendToOthers = (sender: WebSocket, text: string) => {
    for (const [client] of names) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
  };
  wss.on('connection', (socket) => {
    socket.on('error', console.error);
    socket.on('message', (data) => {
      const text = data.toString();
      const name = names.get(socket);
      if (name !== undefined) return sendToOthers(socket, `[${name}]: ${text}`);
      const wanted = text.trim();
      if (wanted === '') return socket.send('[Server]: Name cannot be empty.');
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
}

/** A correct server for `page`: GET / is the page, other paths 404, ws on the same port. */
export function servePage(page: string): void {
  const server = createServer((request, response) => {
    if (request.url !== '/') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  });
  attachChat(new WebSocketServer({ server }));
  server.listen(port, '127.0.0.1');
}
