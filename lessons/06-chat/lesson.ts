import { chatChecks, defineLesson, robustnessChecks, runChatDemo, servedByChat } from '../../checker/lesson-api.ts';

export default defineLesson({
  kind: 'server',
  checks: [...chatChecks(), ...robustnessChecks(servedByChat(), ['blank-name'])],
  hints: [
    'A connection is in one of two states: waiting for a name, or joined. Keep the joined ones in a Map from connection to name: users.get(socket) is undefined while the connection is still waiting for its name.',
    'In the \'message\' handler, look the name up first. No name yet: this message is the name. Trim it; if nothing is left, send "[Server]: Name cannot be empty." and return; the next message is the next try.',
    'On a good name: users.set(socket, name), send "[Server]: Welcome, <name>!" on this socket only, then tell the others "[Server]: <name> has joined the chat.".',
    'Once joined, every message is a chat line: send "[<name>]: <text>" to every other joined user. Your broadcast loops over users.keys() (not wss.clients, which also holds connections that have no name yet) and skips the sender.',
    'Leaving: ws emits \'close\' on the connection however it ends (close frame, dropped TCP, error). There: take the name, users.delete(socket), and send "[Server]: <name> has left the chat." to everyone still in users. A connection without a name leaves quietly.',
    "Keep the 'error' listener on every connection, and do nothing slow in the handlers: pass each message on as soon as it arrives, so each user's messages stay in order.",
  ],
  demo: (port) => runChatDemo('06', port),
});
