import { jsonType, parseJson } from '../peers/json-match.ts';
import { colors as pc } from '../terminal/colors.ts';
import { startJsonChatBot } from './chat-bot.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';

/**
 * `npm run demo` for the lessons of the JSON chat protocol: the reference server on the port,
 * Bot in the chat, and this terminal as a client that writes the JSON for the learner. The
 * first line is the name (a join), every later line a say; with `rooms` (lesson 10), /switch,
 * /rooms and /whisper too. A line that starts with { or [ is sent as typed, to poke the
 * server with anything. Every message received is shown as the JSON it is.
 */
export async function runJsonChatDemo(lessonId: string, port: number, options: { rooms?: boolean } = {}): Promise<number> {
  const url = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson ${lessonId}: the reference server, running on ${url}, with Bot in the chat.`));
  return withReferenceServer(lessonId, port, () => chatWithBot(url, url, options));
}

/**
 * Bot joins at `botUrl`, and this terminal chats at `url` (the same server, or lesson 17's
 * other instance), until the learner quits. Resolves with the exit status.
 */
export async function chatWithBot(url: string, botUrl: string, options: { rooms?: boolean; more?: string } = {}): Promise<number> {
  const bot = await startJsonChatBot(botUrl);
  const commands = options.rooms ? ' Commands: /switch <room>, /rooms, /whisper <name> <text>.' : '';
  console.log(pc.dim(`Type your name to join, then chat: your lines are sent as {"type":"say",…}.${commands}`));
  console.log(pc.dim('A line that starts with { or [ is sent exactly as you type it: try {, {"type":"shout"} or {"type":"say","text":5}.'));
  console.log(pc.dim(options.more ?? `More people: open another terminal and run \`npm run client -- ${url}\` (there you type the JSON yourself).`));
  // The first line is the name; once it is sent, lines are chat, unless the name is refused.
  let nameSent = false;
  let joined = false;
  const status = await runInteractiveClient(url, {
    help: 'Type your name and press Enter; /quit (or Ctrl-D) to leave.',
    onMessage: (text) => {
      const message = parseJson(text);
      if (jsonType(message) === 'welcome') joined = true;
      if (jsonType(message) === 'error' && !joined) nameSent = false;
    },
    onLine: (line, send) => {
      send(toMessage(line, nameSent, options.rooms ?? false));
      nameSent = true;
    },
  });
  await bot.stop();
  return status;
}

/** The text to send for a typed line; the name when `nameSent` is false. */
function toMessage(line: string, nameSent: boolean, rooms: boolean): string {
  if (/^\s*[[{]/.test(line)) return line;
  const command = rooms ? /^\/(switch|rooms|whisper)\b\s*(\S*)\s*(.*)$/.exec(line) : null;
  if (command?.[1] === 'switch') return JSON.stringify({ type: 'switch', room: command[2] });
  if (command?.[1] === 'rooms') return JSON.stringify({ type: 'rooms' });
  if (command?.[1] === 'whisper') return JSON.stringify({ type: 'whisper', to: command[2], text: command[3] });
  return JSON.stringify(nameSent ? { type: 'say', text: line } : { type: 'join', name: line });
}
