import { deadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import {
  describeDecodedFrame,
  describeRsv,
  hexPreview,
  OPCODE,
  opcodeName,
  payloadBytes,
  readClose,
  shortestLengthField,
  type DecodedFrame,
  type FrameSpec,
} from '../peers/frames.ts';
import type { Delivery, RawPeer } from '../peers/raw-peer.ts';
import type { UpgradeRequest } from '../peers/upgrade-request.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import { runCases, type Case } from './cases.ts';

/**
 * Cases for a server that writes the WebSocket protocol itself (lessons 15-16): each opens a
 * connection with a correct handshake, sends frames (any frames, delivered as the case says),
 * and holds the server's answers to the standard, frame by frame:
 *
 *     { id: 'ping-payload', proves: 'a ping is answered with a pong carrying its payload',
 *       send: [frame.ping('Hello?')], expect: [reply.pong('Hello?')] }
 */
export interface FrameCase extends Case {
  /** The upgrade request, when it is not the plain one. */
  request?: UpgradeRequest;
  /** The frames sent once the connection is open. */
  send: FrameSpec[];
  /** How they are delivered (default: a write per frame). */
  delivery?: Delivery;
  /** The server's answers, in order. */
  expect: Reply[];
}

export type Reply =
  | { kind: 'message'; opcode: typeof OPCODE.text | typeof OPCODE.binary; payload: Buffer }
  | { kind: 'pong'; payload: Buffer }
  /** A close frame with this code, or with no code at all (undefined). */
  | { kind: 'close'; code: number | undefined }
  /** The server ends the TCP connection, sending nothing more. */
  | { kind: 'end' };

/** The answers a case expects: `reply.text('hi')`, `reply.close(1002)`, `reply.end`. */
export const reply = {
  /** One text frame: FIN set, unmasked, the shortest length field, this payload. */
  text: (payload: string | Uint8Array): Reply => ({ kind: 'message', opcode: OPCODE.text, payload: payloadBytes(payload) }),
  binary: (payload: string | Uint8Array): Reply => ({ kind: 'message', opcode: OPCODE.binary, payload: payloadBytes(payload) }),
  pong: (payload: string | Uint8Array = ''): Reply => ({ kind: 'pong', payload: payloadBytes(payload) }),
  close: (code?: number): Reply => ({ kind: 'close', code }),
  end: { kind: 'end' } as Reply,
};

/** A check made of frame cases run at once, each on its own connection. */
export function frameCaseCheck(check: { id: string; name: string; needs?: string[]; cases: FrameCase[] }): ServerCheck {
  return {
    id: check.id,
    name: check.name,
    needs: check.needs,
    run: (ctx) => runCases(ctx, check.cases, runFrameCase),
  };
}

async function runFrameCase(peer: RawPeer, c: FrameCase): Promise<void> {
  await peer.openWebSocket(c.request);
  if (c.send.length > 0) await peer.send(c.send, c.delivery ?? 'frame-by-frame');
  // A megabyte is masked, read, unmasked and sent back in well under the usual wait, but not on a machine busy with much else.
  const bytes = c.send.reduce((sum, spec) => sum + payloadBytes(spec.payload).length, 0);
  const ms = deadline('reply') * (1 + Math.ceil(bytes / MiB));
  for (const expected of c.expect) {
    if (expected.kind === 'end') {
      await peer.expectEnd('the server to end the TCP connection after its close frame');
      continue;
    }
    judge(expected, await peer.nextFrame(describeReply(expected), ms));
  }
}

const MiB = 1024 * 1024;

/** Fails unless `received` is exactly the frame `expected` describes, naming the first difference. */
function judge(expected: Exclude<Reply, { kind: 'end' }>, received: DecodedFrame): void {
  const wanted = describeReply(expected);
  const fail = (what: string, explanation?: string) =>
    new CheckFailure(`Expected ${wanted}, but ${what}.`, { expected: wanted, received: describeDecodedFrame(received), explanation });
  const opcode = expected.kind === 'message' ? expected.opcode : expected.kind === 'pong' ? OPCODE.pong : OPCODE.close;

  if (received.opcode === OPCODE.close && opcode !== OPCODE.close) {
    const { code } = readClose(received.payload);
    throw fail(`the server closed the connection${code === undefined ? '' : ` with code ${code}`} instead`);
  }
  if (received.opcode !== opcode) {
    throw fail(`a ${opcodeName(received.opcode)} frame arrived`, wrongOpcode(opcode, received.opcode));
  }
  if (received.masked) throw fail('the frame was masked', explainServerFrame.masked);
  if (received.rsv !== 0) throw fail(`the frame has ${describeRsv(received.rsv)} set`, explainServerFrame.reservedBits);
  if (!received.fin) throw fail('the frame has FIN=0: more fragments were to follow', explainServerFrame.fragmented);
  if (received.lengthField !== shortestLengthField(received.payload.length)) {
    throw fail(`its length, ${received.payload.length}, is in the ${received.lengthField}-bit field`, explainServerFrame.lengthField);
  }
  if (expected.kind === 'close') {
    const { code } = readClose(received.payload);
    if (code === expected.code && (code !== undefined || received.payload.length === 0)) return;
    throw fail(
      code === undefined ? 'the close frame had no code' : `its code is ${code}`,
      expected.code === undefined ? explainServerFrame.closeWithoutCode : undefined,
    );
  }
  if (!received.payload.equals(expected.payload)) throw fail(describeDifference(expected.payload, received.payload));
}

function describeReply(expected: Reply): string {
  switch (expected.kind) {
    case 'message':
      return `${expected.opcode === OPCODE.text ? 'the text' : 'the binary'} message of ${expected.payload.length} bytes ${preview(expected)} as one frame`;
    case 'pong':
      return `a pong carrying the ping's payload (${expected.payload.length} bytes${expected.payload.length ? ` <${hexPreview(expected.payload)}>` : ''})`;
    case 'close':
      return expected.code === undefined ? 'a close frame with no code' : `a close frame with code ${expected.code}`;
    case 'end':
      return 'the end of the TCP connection';
  }
}

function preview(expected: { opcode: number; payload: Buffer }): string {
  if (expected.opcode === OPCODE.text) {
    const text = expected.payload.toString('utf8');
    return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
  }
  return `<${hexPreview(expected.payload)}>`;
}

function describeDifference(expected: Buffer, received: Buffer): string {
  if (received.length !== expected.length) return `its payload has ${received.length} bytes instead of ${expected.length}`;
  const at = expected.findIndex((byte, i) => byte !== received[i]);
  return `its payload differs from byte ${at} on (<${hexPreview(received.subarray(at))}> instead of <${hexPreview(expected.subarray(at))}>)`;
}

function wrongOpcode(wanted: number, got: number): string | undefined {
  if (wanted === OPCODE.pong && got === OPCODE.ping)
    return 'A ping is answered with a pong (opcode 0xA), not with a ping: a ping back would ask the client for a pong in turn.';
  if (wanted === OPCODE.pong) return 'Answer a ping at once with a pong (opcode 0xA) carrying the same payload, before anything else.';
  if (got === OPCODE.continuation) return explainServerFrame.fragmented;
  const isData = (opcode: number) => opcode === OPCODE.text || opcode === OPCODE.binary;
  if (isData(wanted) && isData(got)) {
    return 'Send each message back with the opcode of its first frame: 0x1 for text, 0x2 for binary (a continuation frame has opcode 0, and the message is what its first frame said).';
  }
  return undefined;
}

/** What a server does wrong in the frames it writes, and how to fix it. */
const explainServerFrame = {
  masked:
    'Only a client masks its frames. A server sends the mask bit (the high bit of the second byte) as 0 and no masking key, ' +
    'and a client that receives a masked frame closes the connection (a browser and ws both do).',
  reservedBits: 'Keep the three reserved bits 0 in the frames you send: with FIN set, the first byte of a text frame is 0x81, of a binary one 0x82.',
  fragmented:
    'Set FIN (0x80 in the first byte) on the only frame of a message: FIN=0 tells the client that more fragments follow, and it ' +
    'waits for them. A message that arrived in fragments goes back as one frame too: collect them until FIN, then send it whole.',
  lengthField:
    'Write the length in the shortest form: up to 125 in the 7 bits of the second byte; 126 to 65535 as 126 and then a 16-bit ' +
    'length; from 65536 on, 127 and then a 64-bit length.',
  closeWithoutCode: 'A close frame that carries no code is answered with a close frame that carries none: an empty payload, not a code of your choosing.',
} as const;
