import { randomBytes } from 'node:crypto';
import { quoteText } from '../core/transcript.ts';

/**
 * WebSocket frames as bytes (RFC 6455, section 5.2), for the lessons where the learner writes
 * the framing: a writer that builds any frame, valid or not, and a streaming decoder for what
 * the learner's server sends back.
 *
 *      0               1               2               3
 *      0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 *     +-+-+-+-+-------+-+-------------+-------------------------------+
 *     |F|R|R|R| opcode|M| length      | 16-bit length (length = 126)  |
 *     |I|S|S|S|       |A| (7 bits)    | or 64-bit length (length = 127)|
 *     |N|V|V|V|       |S|             |                               |
 *     | |1|2|3|       |K|             |                               |
 *     +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *     |  ...64-bit length, continued  | masking key (4 bytes, if MASK)|
 *     +-------------------------------+-------------------------------+
 *     | masking key, continued        | payload ...                   |
 *     +-------------------------------+-------------------------------+
 */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

const OPCODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(OPCODE).map(([name, opcode]) => [opcode, name]));

/** Which length field a frame uses: the 7 bits of the second byte, or 16 or 64 more bits. */
export type LengthField = 7 | 16 | 64;

/** A frame to write. Everything but the opcode has the value a well-behaved client uses. */
export interface FrameSpec {
  opcode: number;
  /** The payload; a string is sent as its UTF-8 bytes. */
  payload?: Uint8Array | string;
  /** Whether this is the last frame of its message (default true). */
  fin?: boolean;
  /** The three reserved bits as a number: 4 is RSV1, 2 is RSV2, 1 is RSV3 (default 0). */
  rsv?: number;
  /**
   * Frames the checker writes play a client's, so they are masked (default true), with a
   * random key; a Uint8Array gives the key; false sends the payload unmasked.
   */
  mask?: boolean | Uint8Array;
  /** A longer length field than the payload needs (to write a frame the long way). */
  lengthField?: LengthField;
  /**
   * The length written in the header, when it should differ from the payload's (a frame that
   * announces more bytes than follow).
   */
  announcedLength?: bigint;
}

export type FrameOptions = Omit<FrameSpec, 'opcode' | 'payload'>;

/** Short ways to write the usual frames: `frame.text('hi', { fin: false })`. */
export const frame = {
  text: (payload: Uint8Array | string = '', options: FrameOptions = {}): FrameSpec => ({ opcode: OPCODE.text, payload, ...options }),
  binary: (payload: Uint8Array | string = new Uint8Array(), options: FrameOptions = {}): FrameSpec => ({ opcode: OPCODE.binary, payload, ...options }),
  continuation: (payload: Uint8Array | string = '', options: FrameOptions = {}): FrameSpec => ({ opcode: OPCODE.continuation, payload, ...options }),
  ping: (payload: Uint8Array | string = '', options: FrameOptions = {}): FrameSpec => ({ opcode: OPCODE.ping, payload, ...options }),
  pong: (payload: Uint8Array | string = '', options: FrameOptions = {}): FrameSpec => ({ opcode: OPCODE.pong, payload, ...options }),
  /** A close frame: with no code its payload is empty, as the protocol allows. */
  close: (code?: number, reason = '', options: FrameOptions = {}): FrameSpec => ({ opcode: OPCODE.close, payload: closePayload(code, reason), ...options }),
};

/** The payload of a close frame: a 2-byte code, then the reason in UTF-8; empty with no code. */
export function closePayload(code?: number, reason = ''): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

function isControlOpcode(opcode: number): boolean {
  return opcode >= 0x8;
}

function isKnownOpcode(opcode: number): boolean {
  return opcode in OPCODE_NAMES;
}

export function opcodeName(opcode: number): string {
  return OPCODE_NAMES[opcode] ?? `opcode 0x${opcode.toString(16)}`;
}

/** The shortest length field for a payload of `length` bytes, the one the protocol asks for. */
export function shortestLengthField(length: number | bigint): LengthField {
  const n = BigInt(length);
  return n < 126n ? 7 : n < 65_536n ? 16 : 64;
}

export function payloadBytes(payload: Uint8Array | string | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
}

/** The bytes of one frame, exactly as `spec` says, wrong or right. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = payloadBytes(spec.payload);
  const length = spec.announcedLength ?? BigInt(payload.length);
  const field = spec.lengthField ?? shortestLengthField(length);
  const key = spec.mask === false ? undefined : spec.mask === true || spec.mask === undefined ? randomBytes(4) : Buffer.from(spec.mask);
  const extra = field === 7 ? 0 : field === 16 ? 2 : 8;
  const header = Buffer.alloc(2 + extra + (key ? 4 : 0));
  header[0] = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f);
  header[1] = (key ? 0x80 : 0) | (field === 7 ? Number(length) : field === 16 ? 126 : 127);
  if (field === 16) header.writeUInt16BE(Number(length), 2);
  if (field === 64) header.writeBigUInt64BE(length, 2);
  if (!key) return Buffer.concat([header, payload]);
  key.copy(header, 2 + extra);
  return Buffer.concat([header, applyMask(payload, key)]);
}

/** XORs `bytes` with the 4-byte masking key (masking and unmasking are the same operation). */
function applyMask(bytes: Uint8Array, key: Uint8Array): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) out[i]! ^= key[i & 3]!;
  return out;
}

// ---- decoding ------------------------------------------------------------------------------

/** A frame as it arrived. */
export interface DecodedFrame {
  fin: boolean;
  /** The reserved bits, as in FrameSpec. */
  rsv: number;
  opcode: number;
  masked: boolean;
  /** The payload, unmasked. */
  payload: Buffer;
  lengthField: LengthField;
  /** The header's bytes as they arrived: 2 to 14 of them. */
  header: Buffer;
}

/** Bytes that cannot be read as frames at all; the stream cannot be followed after them. */
export interface Malformed {
  reason: string;
  /** The bytes from where the bad frame starts (at most the first 32). */
  bytes: Buffer;
}

/** A frame longer than this is reported as malformed rather than buffered: a checker must stay small. */
const DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024;
/** Characters of a text payload shown in the transcript (the frame's description gives its length). */
const PREVIEW_CHARS = 60;

/**
 * Reads frames from a byte stream delivered in chunks of any size: a frame may be split across
 * chunks, and one chunk may hold several frames. Once the stream is malformed, it stays so.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;
  malformed: Malformed | undefined;

  constructor(private readonly maxPayload = DEFAULT_MAX_PAYLOAD) {}

  /** Adds bytes; returns the frames they complete, in order. */
  push(chunk: Buffer): DecodedFrame[] {
    if (this.malformed) return [];
    this.chunks.push(chunk);
    this.size += chunk.length;
    const frames: DecodedFrame[] = [];
    for (;;) {
      const next = this.nextFrame();
      if (!next) return frames;
      frames.push(next);
    }
  }

  /** Bytes of a frame that has begun but not ended. */
  get pending(): number {
    return this.size;
  }

  /** The start of the incomplete frame, for saying what was left when the stream ended. */
  pendingBytes(): Buffer {
    return this.peek(Math.min(this.size, 32));
  }

  private nextFrame(): DecodedFrame | undefined {
    const start = this.peek(Math.min(this.size, 14));
    if (start.length < 2) return undefined;
    const lengthBits = start[1]! & 0x7f;
    const field: LengthField = lengthBits < 126 ? 7 : lengthBits === 126 ? 16 : 64;
    const masked = (start[1]! & 0x80) !== 0;
    const headerSize = 2 + (field === 7 ? 0 : field === 16 ? 2 : 8) + (masked ? 4 : 0);
    if (start.length < headerSize) return undefined;
    let length = BigInt(lengthBits);
    if (field === 16) length = BigInt(start.readUInt16BE(2));
    if (field === 64) length = start.readBigUInt64BE(2);
    if (field === 64 && length >= 1n << 63n) {
      return this.fail('the most significant bit of its 64-bit length is set, which the protocol forbids', start);
    }
    if (length > BigInt(this.maxPayload)) return this.fail(`it announces ${length} bytes of payload, more than the checker reads`, start);
    const frameSize = headerSize + Number(length);
    if (this.size < frameSize) return undefined;
    const bytes = this.take(frameSize);
    const key = masked ? bytes.subarray(headerSize - 4, headerSize) : undefined;
    const raw = bytes.subarray(headerSize);
    return {
      fin: (bytes[0]! & 0x80) !== 0,
      rsv: (bytes[0]! >> 4) & 0x7,
      opcode: bytes[0]! & 0x0f,
      masked,
      payload: key ? applyMask(raw, key) : Buffer.from(raw),
      lengthField: field,
      header: Buffer.from(bytes.subarray(0, headerSize)),
    };
  }

  private fail(reason: string, start: Buffer): undefined {
    this.malformed = { reason, bytes: Buffer.from(start) };
    this.chunks = [];
    this.size = 0;
    return undefined;
  }

  /** The first `n` bytes buffered, without consuming them. */
  private peek(n: number): Buffer {
    if (this.chunks[0] && this.chunks[0].length >= n) return this.chunks[0].subarray(0, n);
    return Buffer.concat(this.chunks, this.size).subarray(0, n);
  }

  /** Removes and returns the first `n` bytes (copied once per frame, however many chunks it came in). */
  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.size -= n;
    return all.subarray(0, n);
  }
}

// ---- judging and describing ------------------------------------------------------------------

/** What is wrong with a frame a server sent, by RFC 6455; empty when nothing is. */
export function serverFrameProblems(decoded: DecodedFrame): string[] {
  const problems: string[] = [];
  if (decoded.masked) problems.push('it is masked (only a client masks its frames; a server never does)');
  if (decoded.rsv !== 0) problems.push(`${describeRsv(decoded.rsv)} set (reserved bits must be 0)`);
  if (!isKnownOpcode(decoded.opcode)) problems.push(`its opcode 0x${decoded.opcode.toString(16)} means nothing`);
  if (isControlOpcode(decoded.opcode) && !decoded.fin) problems.push('it is a control frame without FIN (control frames are never fragmented)');
  if (isControlOpcode(decoded.opcode) && decoded.payload.length > 125) problems.push(`it is a control frame of ${decoded.payload.length} bytes (at most 125)`);
  const shortest = shortestLengthField(decoded.payload.length);
  if (decoded.lengthField !== shortest) {
    problems.push(`its length (${decoded.payload.length}) is written in the ${decoded.lengthField}-bit field where the ${shortest}-bit one is the right one`);
  }
  return problems;
}

export function describeRsv(rsv: number): string {
  const names = [4, 2, 1].filter((bit) => rsv & bit).map((bit) => `RSV${bit === 4 ? 1 : bit === 2 ? 2 : 3}`);
  return names.join('+');
}

/** A close frame's code and reason; no code when the payload is empty. */
export function readClose(payload: Buffer): { code?: number; reason: string } {
  if (payload.length < 2) return { reason: '' };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}

/** The first bytes of `bytes` as hex: "81 05 68 65 …". */
export function hexPreview(bytes: Uint8Array, count = 12): string {
  const shown = Buffer.from(bytes.subarray(0, count))
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
  return `${shown}${bytes.length > count ? ' …' : ''}`;
}

function describePayload(opcode: number, payload: Buffer): string {
  if (opcode === OPCODE.close) {
    if (payload.length === 0) return 'with no code';
    if (payload.length === 1) return `with a 1-byte payload <${hexPreview(payload)}>`;
    const { code, reason } = readClose(payload);
    return `code ${code}${reason ? ` reason ${quoteText(reason)}` : ''}`;
  }
  if (payload.length === 0) return '(empty)';
  const text = new TextDecoder('utf-8', { fatal: true });
  if (opcode !== OPCODE.binary) {
    try {
      const decoded = text.decode(payload);
      return JSON.stringify(decoded.length > PREVIEW_CHARS ? `${decoded.slice(0, PREVIEW_CHARS)}…` : decoded);
    } catch {
      // Not UTF-8: shown as bytes below.
    }
  }
  return `<${hexPreview(payload)}>`;
}

type WireFrame = Pick<DecodedFrame, 'opcode' | 'payload' | 'fin' | 'rsv' | 'masked' | 'lengthField'>;

/**
 * A frame for the transcript: `text "hello" (5 bytes)`, `binary <00 01 …> (65536 bytes,
 * 64-bit length)`, `close code 1000`; flags when it is fragmented, has reserved bits, or is
 * masked when its sender should not mask (`fromClient`: a client's frames are masked).
 */
function describeWireFrame(spec: WireFrame, fromClient: boolean): string {
  const flags = [
    `${spec.payload.length} bytes`,
    spec.fin ? undefined : 'FIN=0',
    spec.rsv ? describeRsv(spec.rsv) : undefined,
    spec.masked === fromClient ? undefined : spec.masked ? 'masked' : 'unmasked',
    spec.lengthField === 7 ? undefined : `${spec.lengthField}-bit length`,
  ].filter(Boolean);
  return `${opcodeName(spec.opcode)} ${describePayload(spec.opcode, spec.payload)} (${flags.join(', ')})`;
}

/** A frame as written (`encoded`, the bytes of `spec`), for the transcript: what it holds, and its header's bytes. */
export function describeFrameSpec(spec: FrameSpec, encoded: Buffer): string {
  const payload = payloadBytes(spec.payload);
  const described = describeWireFrame(
    {
      opcode: spec.opcode,
      payload,
      fin: spec.fin ?? true,
      rsv: spec.rsv ?? 0,
      masked: spec.mask !== false,
      lengthField: spec.lengthField ?? shortestLengthField(spec.announcedLength ?? payload.length),
    },
    true,
  );
  const announced = spec.announcedLength === undefined ? '' : `, announcing ${spec.announcedLength} bytes`;
  return `${described}${announced} ${headerBytes(encoded.subarray(0, encoded.length - payload.length))}`;
}

/** A decoded frame for the transcript, with its header's bytes; what breaks the protocol is said. */
export function describeDecodedFrame(decoded: DecodedFrame): string {
  const described = `${describeWireFrame(decoded, false)} ${headerBytes(decoded.header)}`;
  const problems = serverFrameProblems(decoded);
  return problems.length === 0 ? described : `${described}: ${problems.join('; ')}`;
}

/** A header's bytes, set apart from the payload's: ‹81 7e 00 7e›. */
function headerBytes(header: Buffer): string {
  return `‹${hexPreview(header, 14)}›`;
}
