import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { quoteText } from '../core/transcript.ts';
import { withBrowserPages } from '../peers/browser.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';

/**
 * The clients people really use, against a server that writes the protocol itself: if ws and
 * a browser talk to it, the hand-made handshake and frames are right in practice, not only by
 * the checker's reading of the standard.
 */
const CLIENT = 'ws-client';

/** A ws client connects, receives `hello`, closes with 1000, and gets 1000 back. */
export function wsClientHelloCheck(hello: string, needs: string[] = []): ServerCheck {
  return {
    id: 'ws-client',
    name: `a real ws client connects, receives the hello and closes cleanly`,
    needs,
    run: async (ctx) => {
      const client = ctx.connect(CLIENT).expectText(hello).close(1000);
      const closed = await client.closure();
      if (closed.code === 1000) return;
      throw new CheckFailure(`The ws client closed with code 1000, and the server answered with code ${closed.code}.`, {
        expected: 'a close frame with code 1000',
        received: `close with code ${closed.code}${closed.code === 1005 ? ' (1005: a close frame with no code)' : ''}`,
      });
    },
  };
}

/** Echoes of every message through a ws client: whatever ws sends, the server reads, and whatever it sends back, ws accepts. */
export function wsClientEchoCheck(messages: (string | Uint8Array)[], needs: string[] = []): ServerCheck {
  const sizes = messages.map((message) => (typeof message === 'string' ? Buffer.byteLength(message) : message.length));
  return {
    id: 'ws-client',
    name: `a real ws client gets every message back (text and binary, ${[...new Set(sizes)].join(', ')} bytes)`,
    needs,
    ms: deadline('check'),
    run: async (ctx) => {
      const client = ctx.connect(CLIENT);
      for (const message of messages) {
        if (typeof message === 'string') client.send(message).expectText(message);
        else client.sendBinary(message).expectBinary(message);
      }
      await client.close(1000);
    },
  };
}

interface BrowserVisit {
  messages: string[];
  code: number;
  wasClean: boolean;
}

/** A page in a real browser opens a WebSocket, receives `hello`, closes with 1000 and gets a clean close. */
export function browserHelloCheck(hello: string, needs: string[] = []): ServerCheck {
  return {
    id: 'browser',
    name: "in a browser: a page's WebSocket connects, receives the hello and closes cleanly",
    needs,
    run: (ctx) =>
      withBrowserPages(ctx.transcript, async (pages) => {
        const page = await pages.openBlank('browser');
        const ms = deadline('browser');
        const visit = page.page.evaluate(
          (url) =>
            new Promise<BrowserVisit>((resolve) => {
              const socket = new WebSocket(url);
              const messages: string[] = [];
              socket.onmessage = (event) => {
                messages.push(typeof event.data === 'string' ? event.data : '(binary)');
                socket.close(1000);
              };
              socket.onclose = (event) => resolve({ messages, code: event.code, wasClean: event.wasClean });
            }),
          ctx.url,
        );
        const seen = await withDeadline(visit, ms, () => new CheckFailure(`The page's WebSocket did not open, receive and close within ${seconds(ms)}.`));
        const error = page.sockets[0]?.error;
        if (seen.messages[0] !== hello) {
          throw new CheckFailure(
            seen.messages.length === 0 ? "The browser's WebSocket closed before any message arrived." : `The browser received ${quoteText(seen.messages[0]!)}.`,
            {
              expected: `the message ${quoteText(hello)}`,
              received: error ? `the browser's error: ${error}` : `a close with code ${seen.code}`,
            },
          );
        }
        if (seen.code !== 1000 || !seen.wasClean) {
          throw new CheckFailure(
            `The page closed with 1000; its WebSocket ended ${seen.wasClean ? 'cleanly' : 'without a clean close'} with code ${seen.code}.`,
            {
              expected: 'a clean close with code 1000',
              received: error ? `the browser's error: ${error}` : `code ${seen.code}`,
            },
          );
        }
      }),
  };
}
