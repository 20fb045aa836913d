import { defineLesson, replyChecks, type ReplyRule, robustnessChecks, servedByReplies } from '../../checker/lesson-api.ts';

const echo: ReplyRule = {
  reply: (message) => `Echo: ${message}`,
  explain: (sent, received) => {
    if (received.isBinary) return undefined;
    if (received.text === sent) return 'You sent the message back unchanged. The reply starts with "Echo: " (with a space after the colon).';
    if (received.text === `Echo:${sent}`) return 'Almost: put a space after "Echo:".';
    if (received.text.toLowerCase() === `echo: ${sent}`.toLowerCase()) return 'Check the capitals: the reply starts with "Echo: " exactly.';
    return undefined;
  },
};

export default defineLesson({
  kind: 'server',
  checks: [...replyChecks(echo), ...robustnessChecks(servedByReplies(echo), ['replies'])],
  hints: [
    "Everything happens inside wss.on('connection', (socket) => { ... }). The socket is one client's connection; whatever you send on it goes to that client only.",
    "Listen for messages with socket.on('message', (data, isBinary) => { ... }). In ws 8, data is a Buffer, not a string.",
    'Reply with socket.send(`Echo: ${data.toString()}`). Sending the Buffer itself would send a binary frame, and the checker wants text.',
    "Add socket.on('error', (error) => console.error(error.message)) inside the connection handler. Without it, one client that sends garbage stops your whole server.",
  ],
});
