import WebSocket from 'ws';
import { trackCloser } from '../process/cleanup.ts';
import { chatText, readChatLine } from '../core/chat-lines.ts';
import { deadline, settlesWithin, withDeadline } from '../core/deadlines.ts';
import { isJsonObject, parseJson } from '../peers/json-match.ts';

/**
 * A second chat user for the demos of the chat lessons, so a learner alone at a terminal (or
 * a browser) has somebody to talk to: it joins with its name, greets whoever joins, and
 * answers every chat line in a friendly way. It speaks the lesson 06 protocol
 * (startChatBot) or the lesson 09 JSON protocol (startJsonChatBot), where it also answers
 * whispers (lesson 10) with a whisper.
 */
export interface ChatBot {
  readonly name: string;
  /** Leaves the chat (close code 1000) and resolves once the connection has closed. */
  stop(): Promise<void>;
}

/** What happened in the chat, as far as the bot cares. */
type ChatEvent = { kind: 'joined'; name: string } | { kind: 'line'; sender: string; message: string; whispered?: boolean };

/** How the bot speaks one protocol. */
interface BotProtocol {
  join(name: string): string;
  isWelcome(text: string, name: string): boolean;
  read(text: string): ChatEvent | undefined;
  /** The bot's answer, as sent: `whisperTo` when it answers a whisper. */
  say(text: string, whisperTo?: string): string;
}

const lesson06: BotProtocol = {
  join: (name) => name,
  isWelcome: (text, name) => text === chatText.welcome(name),
  read: (text) => {
    const line = readChatLine(text);
    if (line?.kind === 'joined') return line;
    return line?.kind === 'line' ? { kind: 'line', sender: line.sender, message: line.message } : undefined;
  },
  say: (text) => text,
};

const json: BotProtocol = {
  join: (name) => JSON.stringify({ type: 'join', name }),
  isWelcome: (text, name) => {
    const message = parseObject(text);
    return message?.type === 'welcome' && message.name === name;
  },
  read: (text) => {
    const message = parseObject(text);
    if (message?.type === 'joined' && typeof message.name === 'string') return { kind: 'joined', name: message.name };
    const line = message?.type === 'message' || (message?.type === 'whisper' && typeof message.from === 'string');
    if (!line || typeof message.from !== 'string' || typeof message.text !== 'string') return undefined;
    return { kind: 'line', sender: message.from, message: message.text, whispered: message.type === 'whisper' };
  },
  say: (text, whisperTo) => JSON.stringify(whisperTo === undefined ? { type: 'say', text } : { type: 'whisper', to: whisperTo, text }),
};

/** Connects a lesson 06 chat bot to the chat server at `url`; resolves once the server has welcomed it. */
export function startChatBot(url: string, name = 'Bot'): Promise<ChatBot> {
  return startBot(url, name, lesson06);
}

/** Connects a JSON chat bot (lessons 09 and 10) to the server at `url`; resolves once it is welcomed. */
export function startJsonChatBot(url: string, name = 'Bot'): Promise<ChatBot> {
  return startBot(url, name, json);
}

async function startBot(url: string, name: string, protocol: BotProtocol): Promise<ChatBot> {
  const ws = new WebSocket(url);
  ws.on('error', () => {}); // A failure to connect rejects below; later errors end in 'close'.
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const welcomed = new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(protocol.join(name)));
    ws.on('message', (data) => {
      const text = data.toString();
      if (protocol.isWelcome(text, name)) resolve();
      const event = protocol.read(text);
      const answer = event && botAnswer(name, event);
      if (answer === undefined || ws.readyState !== WebSocket.OPEN) return;
      ws.send(protocol.say(answer, event?.kind === 'line' && event.whispered ? event.sender : undefined));
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

/** What the bot says to what happened, or undefined to stay quiet (about its own lines, say). */
function botAnswer(botName: string, event: ChatEvent): string | undefined {
  if (event.kind === 'joined') return event.name === botName ? undefined : `Hello, ${event.name}! I'm ${botName}. Say something and I'll answer.`;
  const { sender, message } = event;
  if (sender === botName) return undefined;
  if (event.whispered) return `Psst, ${sender}: only you can read this.`;
  if (/\b(hi|hello|hey|hallo)\b/i.test(message)) return `Hi, ${sender}! Nice to have you here.`;
  if (message.trim().endsWith('?')) return `Good question, ${sender}! I'm only a bot, but I read every word you send.`;
  const words = message.trim().split(/\s+/).filter(Boolean).length;
  return `Got it, ${sender}: "${message}" (${words} ${words === 1 ? 'word' : 'words'}). Everyone else in the chat saw it too.`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const value = parseJson(text);
  return isJsonObject(value) ? value : undefined;
}
