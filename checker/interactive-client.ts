import { createInterface } from 'node:readline';
import pc from 'picocolors';
import WebSocket from 'ws';

/**
 * A terminal WebSocket client for playing with any server: every line typed is sent as a text
 * message, every message received is printed as it arrives (above the prompt), `/quit` or
 * Ctrl-D closes normally. Resolves with the exit status: 0 after a normal end, 1 if it could not connect.
 */
export function runInteractiveClient(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const input = createInterface({ input: process.stdin, output: process.stdout, prompt: pc.dim('> ') });
    let opened = false;
    const print = (text: string) => {
      // Clear the prompt line, print, and draw the prompt again with what was being typed.
      process.stdout.write('\r\x1b[K');
      console.log(text);
      if (process.stdout.isTTY) input.prompt(true);
    };

    ws.on('open', () => {
      opened = true;
      console.log(pc.green(`Connected to ${url}.`) + pc.dim(' Type a message and press Enter; /quit (or Ctrl-D) to leave.'));
      input.prompt();
    });
    ws.on('message', (data, isBinary) => {
      print(isBinary ? pc.magenta(`[binary, ${(data as Buffer).length} bytes]`) : `${pc.cyan('←')} ${data.toString()}`);
    });
    ws.on('error', (error) => {
      if (!opened) console.error(pc.red(`Could not connect to ${url}: ${error.message}`));
    });
    ws.on('close', (code, reason) => {
      if (opened) print(pc.yellow(`Disconnected (code ${code}${reason.length ? `, reason "${reason.toString()}"` : ''}).`));
      input.close();
      resolve(opened ? 0 : 1);
    });

    input.on('line', (line) => {
      if (line.trim() === '/quit') {
        ws.close(1000, 'Bye');
        return;
      }
      if (ws.readyState === WebSocket.OPEN && line.length > 0) ws.send(line);
      input.prompt();
    });
    input.on('close', () => {
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'Bye');
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    });
  });
}
