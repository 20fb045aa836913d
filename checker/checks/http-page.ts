import { CheckFailure } from '../core/errors.ts';
import { explain } from '../core/explanations.ts';
import { httpGet, type HttpResponse } from '../peers/http-request.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import { quoteText } from '../core/transcript.ts';

/** A path no page lives at. */
const UNKNOWN_PATH = '/no-such-page';

/**
 * Checks for a server that does two jobs on one port: it serves a web page over plain HTTP
 * (GET / is the page, any other path is 404) and hands WebSocket upgrade requests to ws.
 */
export function pageServerChecks(): ServerCheck[] {
  return [
    {
      id: 'page',
      name: 'answers GET / with the page, as text/html',
      run: async (ctx) => {
        const response = await httpGet(`${ctx.httpUrl}/`);
        ctx.note(`GET / answered ${describeResponse(response)}`);
        if (response.status !== 200) {
          throw new CheckFailure(`GET / answered with status ${response.status}. The page must be served at / with status 200.`, {
            expected: '200 with the HTML page',
            received: describeResponse(response),
            explanation: explainPageStatus(response),
          });
        }
        const type = response.headers['content-type'];
        if (!type || !/^text\/html\b/i.test(type)) {
          throw new CheckFailure(`GET / answered with ${type ? `Content-Type ${type}` : 'no Content-Type'}. A page must be sent as text/html.`, {
            expected: 'Content-Type: text/html',
            received: describeResponse(response),
            explanation:
              "Send the header with the page: response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }). " +
              "Without it a browser guesses, and may show the page's source as plain text.",
          });
        }
        if (response.body.trim() === '') {
          throw new CheckFailure('GET / answered 200 text/html, but the body is empty.', {
            expected: 'the HTML of the page',
            explanation: "Read the page's file (readFile from node:fs/promises) and pass its contents to response.end().",
          });
        }
      },
    },
    {
      id: 'not-found',
      name: `answers 404 for any other path (GET ${UNKNOWN_PATH})`,
      run: async (ctx) => {
        const response = await httpGet(`${ctx.httpUrl}${UNKNOWN_PATH}`);
        ctx.note(`GET ${UNKNOWN_PATH} answered ${describeResponse(response)}`);
        if (response.status === 404) return;
        throw new CheckFailure(`GET ${UNKNOWN_PATH} answered with status ${response.status}. Every path other than / must answer 404 Not Found.`, {
          expected: '404',
          received: describeResponse(response),
          explanation:
            response.status === 200
              ? 'Your request handler answers every request with the page. Look at the path first: only "/" gets the page; ' +
                'for anything else call response.writeHead(404) and end the response.'
              : undefined,
        });
      },
    },
    {
      id: 'same-port',
      name: 'accepts WebSocket connections on the same port as the page',
      run: async (ctx) => {
        ctx.note(`alice connects to ${ctx.url}, the port the page is served on`);
        try {
          await ctx.connect('alice');
        } catch (failure) {
          if (!(failure instanceof CheckFailure) || !ctx.server.running) throw failure;
          throw new CheckFailure(`A WebSocket connection to the page's port could not be opened. ${failure.message}`, {
            expected: `the upgrade to WebSocket answered on port ${ctx.port} (101 Switching Protocols)`,
            explanation: explain.wsOnOwnPort,
          });
        }
      },
    },
  ];
}

function describeResponse(response: HttpResponse): string {
  const type = response.headers['content-type'];
  const body = response.body.trim();
  return `status ${response.status}, ${type ? `Content-Type ${type}` : 'no Content-Type'}, ${body ? `body ${quoteText(body)}` : 'empty body'}`;
}

function explainPageStatus(response: HttpResponse): string | undefined {
  if (response.status === 426) {
    return (
      'That is the answer of a WebSocketServer listening on the port by itself (426 Upgrade Required): it speaks only WebSocket. ' +
      'Create an HTTP server with createServer from node:http for the page, listen on PORT with it, and attach ws to it: ' +
      'new WebSocketServer({ server }).'
    );
  }
  if (response.status === 404) return 'Your request handler answers / with 404. When request.url is "/", answer 200 with the page.';
  if (response.status >= 500) return 'Your server failed while answering. Look at its error output: can it find the page file?';
  return undefined;
}
