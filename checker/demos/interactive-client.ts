import { createInterface, type Interface } from 'node:readline';
import WebSocket from 'ws';
import { colors as pc } from '../terminal/colors.ts';

export interface InteractiveClientOptions {
  /** What to tell the person once connected (by default: type a message, /quit to leave). */
  help?: string;
  /** What a typed line does, for demos that route some lines elsewhere; by default it is sent. */
  onLine?: (line: string, send: (text: string) => void) => void;
  /** Sees every text message received, for demos that keep track of the conversation. */
  onMessage?: (text: string) => void;
  /** Shows each protocol ping from the server (which ws answers by itself), for the heartbeat demo. */
  showPings?: boolean;
}

/**
 * A terminal WebSocket client for playing with any server: every line typed is sent as a text
 * message, every message received is printed as it arrives (above the prompt), `/quit` or
 * Ctrl-D closes normally. Resolves with the exit status: 0 after a normal end, 1 if it could
 * not connect. Input is read only once connected, so lines piped in are not lost.
 */
export function runInteractiveClient(url: string, options: InteractiveClientOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let input: Interface | undefined;
    const print = (text: string) => {
      if (!input || !process.stdout.isTTY) return console.log(text);
      // Clear the prompt line, print, and draw the prompt again with what was being typed.
      process.stdout.write('\r\x1b[K');
      console.log(text);
      input.prompt(true);
    };

    ws.on('open', () => {
      console.log(pc.green(`Connected to ${url}.`) + pc.dim(` ${options.help ?? 'Type a message and press Enter; /quit (or Ctrl-D) to leave.'}`));
      input = createInterface({ input: process.stdin, output: process.stdout, prompt: pc.dim('> '), terminal: Boolean(process.stdin.isTTY) });
      input.on('line', (line) => {
        if (line.trim() === '/quit') return ws.close(1000, 'Bye');
        const send = (text: string) => {
          if (ws.readyState !== WebSocket.OPEN || text.length === 0) return;
          if (!process.stdin.isTTY) console.log(`${pc.dim('→')} ${text}`);
          ws.send(text);
        };
        if (options.onLine) options.onLine(line, send);
        else send(line);
        input?.prompt();
      });
      input.on('close', () => {
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'Bye');
      });
      input.prompt();
    });
    if (options.showPings) ws.on('ping', () => print(pc.dim('♥ a ping from the server (your WebSocket library answered it with a pong)')));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) options.onMessage?.(data.toString());
      print(isBinary ? pc.magenta(`[binary, ${(data as Buffer).length} bytes]`) : `${pc.cyan('←')} ${data.toString()}`);
    });
    ws.on('error', (error) => {
      if (!input) console.error(pc.red(`Could not connect to ${url}: ${error.message}`));
    });
    ws.on('close', (code, reason) => {
      if (!input) return resolve(1);
      print(pc.yellow(`Disconnected (code ${code}${reason.length ? `, reason "${reason.toString()}"` : ''}).`));
      input.close();
      resolve(0);
    });
  });
}
