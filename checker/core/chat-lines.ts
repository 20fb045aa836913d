/**
 * The lines of the lesson 06 chat, as its server writes them: one place for the checks, the
 * lessons built on that chat, and the demos' chat bot.
 */
export const chatText = {
  welcome: (name: string) => `[Server]: Welcome, ${name}!`,
  joined: (name: string) => `[Server]: ${name} has joined the chat.`,
  left: (name: string) => `[Server]: ${name} has left the chat.`,
  emptyName: '[Server]: Name cannot be empty.',
  line: (sender: string, message: string) => `[${sender}]: ${message}`,
};

export type ChatLine = { kind: 'joined'; name: string } | { kind: 'server'; text: string } | { kind: 'line'; sender: string; message: string };

/** Reads a line of the chat back: a join notice, another server line, or a user's chat line. */
export function readChatLine(text: string): ChatLine | undefined {
  const joined = /^\[Server\]: (.+) has joined the chat\.$/s.exec(text);
  if (joined) return { kind: 'joined', name: joined[1]! };
  const line = /^\[([^\]]+)\]: (.*)$/s.exec(text);
  if (!line) return undefined;
  return line[1] === 'Server' ? { kind: 'server', text: line[2]! } : { kind: 'line', sender: line[1]!, message: line[2]! };
}
