import WebSocket from 'ws';
import { trackCloser } from '../process/cleanup.ts';
import { chatText, readChatLine } from '../core/chat-lines.ts';
import { deadline, settlesWithin, withDeadline } from '../core/deadlines.ts';

/**
 * A second chat user for the demos of the chat lessons, so a learner alone at a terminal (or
 * a browser) has somebody to talk to. It speaks the lesson 06 protocol: joins with its name,
 * greets whoever joins, and answers every chat line in a friendly way.
 */
export interface ChatBot {
  readonly name: string;
  /** Leaves the chat (close code 1000) and resolves once the connection has closed. */
  stop(): Promise<void>;
}

/** Connects to the chat server at `url` and resolves once the server has welcomed the bot. */
export async function startChatBot(url: string, name = 'Bot'): Promise<ChatBot> {
  const ws = new WebSocket(url);
  ws.on('error', () => {}); // A failure to connect rejects below; later errors end in 'close'.
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const welcomed = new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(name));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === chatText.welcome(name)) resolve();
      const answer = botAnswer(name, text);
      if (answer !== undefined && ws.readyState === WebSocket.OPEN) ws.send(answer);
    });
    ws.once('close', () => reject(new Error(`${name} could not join the chat at ${url}.`)));
  });
  await withDeadline(welcomed, deadline('reply'), () => new Error(`${name} was not welcomed by the chat server at ${url}.`));

  const stop = async () => {
    untrack();
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'Bye');
    if (!(await settlesWithin(closed, deadline('close')))) ws.terminate();
  };
  const untrack = trackCloser(stop);
  return { name, stop };
}

/** What the bot says to a line it received, or undefined to stay quiet. */
function botAnswer(botName: string, received: string): string | undefined {
  const line = readChatLine(received);
  if (line?.kind === 'joined') return `Hello, ${line.name}! I'm ${botName}. Say something and I'll answer.`;
  if (line?.kind !== 'line') return undefined;
  const { sender, message } = line;
  if (/\b(hi|hello|hey|hallo)\b/i.test(message)) return `Hi, ${sender}! Nice to have you here.`;
  if (message.trim().endsWith('?')) return `Good question, ${sender}! I'm only a bot, but I read every word you send.`;
  const words = message.trim().split(/\s+/).filter(Boolean).length;
  return `Got it, ${sender}: "${message}" (${words} ${words === 1 ? 'word' : 'words'}). Everyone else in the chat saw it too.`;
}
