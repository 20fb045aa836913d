import http from 'node:http';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';

/** An HTTP response as a check sees it. */
export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: http.IncomingHttpHeaders;
  /** The body as text (the first MAX_BODY bytes of it). */
  body: string;
}

const MAX_BODY = 1024 * 1024;

/**
 * A plain GET request to the learner's server, on a connection of its own that is closed
 * afterwards. Fails (CheckFailure) when the server does not answer in time or drops the
 * connection; any status at all is a response, for the check to judge.
 */
export function httpGet(url: string, ms = deadline('reply')): Promise<HttpResponse> {
  const { pathname } = new URL(url);
  let request: http.ClientRequest | undefined;
  const response = new Promise<HttpResponse>((resolve, reject) => {
    request = http.get(url, { agent: false, headers: { connection: 'close' } }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      incoming.on('end', () => {
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8') });
      });
      incoming.on('error', (error) => reject(dropped(pathname, error)));
    });
    request.on('error', (error) => reject(dropped(pathname, error)));
  });
  return withDeadline(
    response,
    ms,
    () =>
      new CheckFailure(`GET ${pathname} got no complete answer within ${seconds(ms)}.`, {
        explanation: 'Every HTTP request needs an answer: call response.end(...) on every path through your request handler.',
      }),
  ).finally(() => request?.destroy());
}

function dropped(pathname: string, error: Error): CheckFailure {
  return new CheckFailure(`GET ${pathname} got no answer: the connection failed (${error.message}).`);
}
