import { defineLesson, replyChecks, type ReplyRule, robustnessChecks, servedByReplies } from '../../checker/lesson-api.ts';

const uppercase: ReplyRule = {
  reply: (message) => message.toUpperCase(),
  explain: (sent, received) => {
    if (received.isBinary) return undefined;
    const text = received.text;
    if (text === sent) return 'The reply is the message unchanged: call toUpperCase() on the text before sending it.';
    if (text === `Echo: ${sent}` || text === `Echo: ${sent.toUpperCase()}` || text === `ECHO: ${sent.toUpperCase()}`) {
      return 'This lesson has no prefix: the reply is just message.toUpperCase(). The "Echo: " belongs to lesson 01.';
    }
    if (text === sent.replace(/[a-z]/g, (c) => c.toUpperCase())) {
      return 'Only the letters a-z were changed. toUpperCase() knows every alphabet (ü becomes Ü, ß becomes SS): use it instead of your own mapping.';
    }
    if (text === sent.toLowerCase()) return 'That is lower case: use toUpperCase().';
    return undefined;
  },
};

export default defineLesson({
  kind: 'server',
  checks: [...replyChecks(uppercase), ...robustnessChecks(servedByReplies(uppercase), ['replies'])],
  hints: [
    'Start from your echo server: the shape is the same, only the reply changes.',
    "Turn the message into a string with data.toString(), then call .toUpperCase() on it. Don't build your own a-z table: toUpperCase() also knows ü, é and ß.",
    'Send the result with socket.send(text): a string, so it goes out as a text frame, with no prefix.',
    "Keep the 'error' listener on every connection.",
  ],
});
