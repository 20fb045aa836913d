import { createHash, randomBytes } from 'node:crypto';

/**
 * The opening handshake as text (RFC 6455, section 4): the upgrade request a client writes,
 * with any headers a check chooses (wrong ones included), and the head of the response.
 */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** RFC 6455's own example (section 1.3): this key must give this accept value. */
export const RFC_EXAMPLE = { key: 'dGhlIHNhbXBsZSBub25jZQ==', accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' } as const;

/** The Sec-WebSocket-Accept value a server must answer `key` with. */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
}

/** A new Sec-WebSocket-Key: the base64 of 16 random bytes, as a client makes one. */
function freshKey(): string {
  return randomBytes(16).toString('base64');
}

export interface UpgradeRequest {
  /** Default GET. */
  method?: string;
  /** Default /. */
  path?: string;
  /**
   * Headers to send, by name. They replace the defaults of the same name (compared without
   * regard to case, so `upgrade: WebSocket` replaces `Upgrade: websocket`); undefined leaves a
   * header out. The defaults: Host, Upgrade: websocket, Connection: Upgrade, a fresh
   * Sec-WebSocket-Key, Sec-WebSocket-Version: 13.
   */
  headers?: Record<string, string | undefined>;
}

/** The text of an upgrade request, and the key it carries (undefined when left out). */
export function buildUpgradeRequest(host: string, request: UpgradeRequest = {}): { text: string; key: string | undefined } {
  const headers = new Map<string, [string, string | undefined]>();
  const set = (name: string, value: string | undefined) => headers.set(name.toLowerCase(), [name, value]);
  set('Host', host);
  set('Upgrade', 'websocket');
  set('Connection', 'Upgrade');
  set('Sec-WebSocket-Key', freshKey());
  set('Sec-WebSocket-Version', '13');
  for (const [name, value] of Object.entries(request.headers ?? {})) set(name, value);
  const lines = [`${request.method ?? 'GET'} ${request.path ?? '/'} HTTP/1.1`];
  for (const [name, value] of headers.values()) if (value !== undefined) lines.push(`${name}: ${value}`);
  return { text: `${lines.join('\r\n')}\r\n\r\n`, key: headers.get('sec-websocket-key')?.[1] };
}

/** The head of an HTTP response: its status line and headers. */
export interface ResponseHead {
  statusLine: string;
  /** The status code, or 0 when the first line is not an HTTP status line. */
  status: number;
  /** The header lines as they arrived, in order. */
  lines: string[];
  /** Header values by lower-case name; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Where the body starts: just past the empty line that ends the head, or -1 before it has arrived. */
export function headLength(bytes: Buffer): number {
  const at = bytes.indexOf(HEAD_END);
  return at === -1 ? -1 : at + HEAD_END.length;
}

export function parseResponseHead(head: string): ResponseHead {
  const [statusLine = '', ...lines] = head.replace(/\r\n\r\n$/, '').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { statusLine, status: status ? Number(status) : 0, lines, headers };
}

/** Whether a comma-separated header value holds `token` (Connection: keep-alive, Upgrade). */
export function hasToken(value: string | undefined, token: string): boolean {
  return (value ?? '').split(',').some((part) => part.trim().toLowerCase() === token.toLowerCase());
}
