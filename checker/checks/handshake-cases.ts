import { createHash } from 'node:crypto';
import { CheckFailure } from '../core/errors.ts';
import { quoteText } from '../core/transcript.ts';
import type { RawPeer } from '../peers/raw-peer.ts';
import { acceptFor, hasToken, WEBSOCKET_GUID, type ResponseHead, type UpgradeRequest } from '../peers/upgrade-request.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import { runCases, type Case } from './cases.ts';

/**
 * Cases for a server that answers the opening handshake itself (lesson 15): each sends one
 * request, right or wrong, and holds the head of the response to the standard:
 *
 *     { id: 'wrong-version', proves: 'another version is refused with 426 and the version spoken',
 *       request: { headers: { 'Sec-WebSocket-Version': '8' } },
 *       status: 426, headers: { 'Sec-WebSocket-Version': header.is('13') } }
 */
export interface HandshakeCase extends Case {
  request: UpgradeRequest;
  status: number;
  /** What each named header of the response must be. */
  headers?: Record<string, HeaderRule>;
  /** The response must carry the Sec-WebSocket-Accept computed from the request's key. */
  accept?: boolean;
}

export interface HeaderRule {
  describe: string;
  test: (value: string | undefined) => boolean;
}

/** The rules a case may set for a header of the response. */
export const header = {
  /** Present, equal to `value` in any case ("Upgrade: WebSocket" is "websocket"). */
  is: (value: string): HeaderRule => ({ describe: value, test: (got) => got?.trim().toLowerCase() === value.toLowerCase() }),
  /** Exactly `value`, case and all (a subprotocol's name). */
  exactly: (value: string): HeaderRule => ({ describe: value, test: (got) => got?.trim() === value }),
  /** A comma-separated list holding `token` in any case ("Connection: Upgrade"). */
  hasToken: (token: string): HeaderRule => ({ describe: `a list holding ${token}`, test: (got) => hasToken(got, token) }),
  absent: { describe: '(no such header)', test: (got: string | undefined) => got === undefined } as HeaderRule,
};

/** A check made of handshake cases run at once, each on its own connection. */
export function handshakeCaseCheck(check: { id: string; name: string; needs?: string[]; cases: HandshakeCase[] }): ServerCheck {
  return {
    id: check.id,
    name: check.name,
    needs: check.needs,
    run: (ctx) => runCases(ctx, check.cases, runHandshakeCase),
  };
}

async function runHandshakeCase(peer: RawPeer, c: HandshakeCase): Promise<void> {
  const { response, key } = await peer.upgrade(c.request);
  const shown = [response.statusLine, ...response.lines].join('\n');
  const fail = (message: string, expected: string, explanation?: string) => new CheckFailure(message, { expected, received: shown, explanation });
  if (response.status !== c.status) {
    throw fail(`The server answered ${quoteText(response.statusLine)} where the status must be ${c.status}.`, `status ${c.status}`, statusMistake(response));
  }
  for (const [name, rule] of Object.entries(c.headers ?? {})) {
    const value = response.headers[name.toLowerCase()];
    if (rule.test(value)) continue;
    const got = value === undefined ? 'no such header' : `${name}: ${value}`;
    throw fail(
      `The ${c.status} answer has ${got}; it must have ${rule === header.absent ? `no ${name} header` : `${name}: ${rule.describe}`}.`,
      `${name}: ${rule.describe}`,
    );
  }
  if (!c.accept || key === undefined) return;
  const expected = acceptFor(key);
  const accept = response.headers['sec-websocket-accept'];
  if (accept === expected) return;
  throw fail(
    accept === undefined
      ? 'The 101 answer has no Sec-WebSocket-Accept header.'
      : `Sec-WebSocket-Accept is ${accept}; for the key ${key} it must be ${expected}.`,
    `Sec-WebSocket-Accept: ${expected}`,
    acceptMistake(key, accept),
  );
}

const sha1 = (text: string) => createHash('sha1').update(text);

/** Names the slip behind a wrong Sec-WebSocket-Accept, from the value itself. */
function acceptMistake(key: string, accept: string | undefined): string {
  const recipe = `The recipe: base64(SHA-1(key + "${WEBSOCKET_GUID}")), i.e. createHash('sha1').update(key + GUID).digest('base64').`;
  if (accept === undefined) return `Add the header to the 101 response. ${recipe}`;
  if (accept === sha1(key + WEBSOCKET_GUID).digest('hex')) return `That is the digest in hex; the header wants it in base64: digest('base64'). ${recipe}`;
  if (accept === sha1(key).digest('base64')) return `That is the SHA-1 of the key alone: the GUID must be appended to the key before hashing. ${recipe}`;
  if (accept === sha1(WEBSOCKET_GUID + key).digest('base64')) return `The key comes first, then the GUID. ${recipe}`;
  if (accept === Buffer.from(key + WEBSOCKET_GUID).toString('base64')) return `The key and the GUID must be hashed with SHA-1 before base64. ${recipe}`;
  if (accept === sha1(Buffer.from(key, 'base64').toString('latin1') + WEBSOCKET_GUID).digest('base64')) {
    return `Use the key as the text it is; do not decode its base64 first. ${recipe}`;
  }
  return `Is it computed from this request's key, with the GUID copied exactly? ${recipe}`;
}

/** A status line that is not one names its own mistake; other wrong statuses are the case's to explain. */
function statusMistake(response: ResponseHead): string | undefined {
  if (response.status !== 0) return undefined;
  return 'A response starts with a status line, "HTTP/1.1 101 Switching Protocols", then the headers, each line ending in \\r\\n, then an empty line.';
}
