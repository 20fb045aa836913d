import { defineLesson, runSuiteDemo, type SuiteCheck } from '../../checker/lesson-api.ts';

/**
 * The learner's suite must pass against the lesson 06 reference server, three times, and fail
 * against each wrong server: lesson 06 chat servers with one mistake each, most of them lesson
 * 06's own mutants. Each is named by the rule it breaks; its code is never shown. (They run in
 * this order: the slowest, whose lines each take a tenth of a second, first.)
 */
const WRONG_SERVERS: { id: string; file: string; breaks: string; howToCatch: string }[] = [
  {
    id: 'leave-before-last-line',
    file: 'lessons/18-testing/wrong-servers/leave-before-last-line.ts',
    breaks: "announces a user's leaving before the last thing they said",
    howToCatch:
      'Let Bob send a last line and close at once. Alice must receive his line first and then the notice that he left: ' +
      'notices come in the order things happened.',
  },
  {
    id: 'sender-included',
    file: 'test/mutants/06-chat/sender-included.ts',
    breaks: 'sends a chat line back to its sender too',
    howToCatch:
      'Prove the absence by ordering: Alice sends a line; once Bob has it, Bob answers; the next message Alice receives must be ' +
      "Bob's answer. Had the server sent Alice her own line, it would have reached her first.",
  },
  {
    id: 'no-leave',
    file: 'test/mutants/06-chat/no-leave.ts',
    breaks: 'never tells anyone that a user has left',
    howToCatch: 'Let Bob close his connection, and expect Alice to receive "[Server]: Bob has left the chat." (within a deadline).',
  },
  {
    id: 'leave-only-clean',
    file: 'test/mutants/06-chat/leave-only-clean.ts',
    breaks: 'announces a leave only when the connection closes cleanly, not when it drops',
    howToCatch:
      'A connection can also end without a close frame: ws.terminate() drops it, as a crashed program or a lost network does. ' +
      'Expect the leave notice then too.',
  },
  {
    id: 'untrimmed-name',
    file: 'test/mutants/06-chat/no-trim.ts',
    breaks: 'keeps the spaces around a name',
    howToCatch: 'Join with a name that has spaces around it, like "  Bob ", and expect the welcome and the join notice to say "Bob".',
  },
  {
    id: 'empty-name',
    file: 'test/mutants/06-chat/no-empty-check.ts',
    breaks: 'lets a user join with an empty name',
    howToCatch: 'Send a name of spaces only (and an empty one) and expect "[Server]: Name cannot be empty." each time, then a real name to be welcomed.',
  },
  {
    id: 'unjoined-hear',
    file: 'test/mutants/06-chat/wss-clients.ts',
    breaks: 'sends chat lines and notices to clients that have not joined yet',
    howToCatch:
      'Connect a client and let it send no name while others join, talk and leave. Then let it send its name: the first message ' +
      'it receives must be its welcome. Anything it was sent before would have come first.',
  },
  {
    id: 'unjoined-leave',
    file: 'test/mutants/06-chat/announces-unjoined-leave.ts',
    breaks: 'announces the leaving of a client that never joined',
    howToCatch:
      'Connect a client that never sends a name and close it; then let someone join. The next message a joined user receives ' +
      'must be that join notice: a notice about the nameless client would have come first.',
  },
  {
    id: 'out-of-order',
    file: 'test/mutants/06-chat/random-delay.ts',
    breaks: "can pass one user's messages on out of order",
    howToCatch: 'Let one user send many lines at once (twenty, say) and expect another user to receive every one of them, in the order they were sent.',
  },
  {
    id: 'broken-frame',
    file: 'test/mutants/06-chat/no-error-listener.ts',
    breaks: 'crashes when a client sends a broken frame',
    howToCatch:
      "Send a frame a client must never send: ws.send('hi', { mask: false }) sends it unmasked, which a server rejects. " +
      'Then expect the server to serve everyone else still: let someone join, and expect the others to hear of it.',
  },
];

export default defineLesson({
  kind: 'tests',
  checks: [
    {
      id: 'reference',
      name: 'passes against the reference server, in three runs',
      server: 'solutions/06-chat/server.ts',
      about: 'the reference server, a correct lesson 06 chat server',
      expect: 'pass',
      runs: 3,
    },
    ...WRONG_SERVERS.map(
      ({ id, file, breaks, howToCatch }): SuiteCheck => ({
        id,
        name: `catches a server that ${breaks}`,
        server: file,
        about: `a server that ${breaks}`,
        expect: 'fail',
        needs: ['reference'],
        howToCatch,
      }),
    ),
  ],
  hints: [
    'Start from the example test: connect, send, and expect the next message with a deadline. Every test you add follows that shape; what changes is who connects, what they send, and what must arrive next.',
    "Give each test users of its own (Alice1, Alice2, …): the tests share one server, and a late notice about an earlier test's user must never look like one of yours. Close every client after each test (afterEach), whether the test passed or not.",
    'Never sleep to "let messages arrive". Wait for the next message with a deadline (a timer that rejects after a second or two), so a test is fast when the server is right and fails clearly when it is not.',
    "To prove that something did NOT arrive, make something else arrive after it: Alice sends, Bob receives, Bob answers; Alice's next message must be Bob's answer. If the server had sent Alice her own line, it would have come first.",
    "Go through lesson 06's contract rule by rule and write one test per rule: the name (trimmed, empty refused), join notices, lines to the others only, order, leaving cleanly and abruptly, clients that never joined, a broken frame (ws.send(text, { mask: false })).",
    "A wrong server your tests do not catch is named in the report by the rule it breaks: write the test for exactly that rule. `npm run demo -- 18` runs your suite against the reference server with vitest's own report.",
  ],
  demo: (port) => runSuiteDemo('18', '06', port),
});
