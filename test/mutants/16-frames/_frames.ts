import type { Duplex } from 'node:stream';
import { type Parts, serve } from '../15-handshake/_handshake.ts';

/**
 * The lesson 16 reference server in parts (not a mutant itself: its name starts with "_"): the
 * lesson 15 handshake, then a Connection whose methods a mutant overrides, each written the way
 * a learner would get it wrong.
 */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
const KNOWN_OPCODES = new Set<number>(Object.values(OPCODE));
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface FrameHeader {
  fin: boolean;
  rsv: number;
  opcode: number;
  mask: Buffer | undefined;
  length: bigint;
  size: number;
}

export function readHeader(bytes: Buffer): FrameHeader | undefined {
  if (bytes.length < 2) return undefined;
  const masked = (bytes[1]! & 0x80) !== 0;
  const length7 = bytes[1]! & 0x7f;
  const lengthBytes = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  const size = 2 + lengthBytes + (masked ? 4 : 0);
  if (bytes.length < size) return undefined;
  const length = length7 === 126 ? BigInt(bytes.readUInt16BE(2)) : length7 === 127 ? bytes.readBigUInt64BE(2) : BigInt(length7);
  return { fin: (bytes[0]! & 0x80) !== 0, rsv: (bytes[0]! >> 4) & 0x7, opcode: bytes[0]! & 0x0f, mask: masked ? bytes.subarray(size - 4, size) : undefined, length, size };
}

export function encodeFrame(opcode: number, payload: Buffer, first = 0x80 | opcode): Buffer {
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([0, payload.length]);
  else if (payload.length < 65_536) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  header[0] = first;
  return Buffer.concat([header, payload]);
}

export function unmask(payload: Buffer, mask: Buffer | undefined): Buffer {
  const bytes = Buffer.from(payload);
  if (mask) for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ mask[i % 4]!;
  return bytes;
}

export function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function closePayload(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return payload;
}

export class Connection {
  protected buffered = Buffer.alloc(0);
  protected message: { opcode: number; parts: Buffer[]; size: number } | undefined;
  protected closed = false;

  constructor(protected readonly socket: Duplex) {}

  receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (!this.closed) {
      const header = this.readHeader(this.buffered);
      if (!header) return;
      const problem = this.checkHeader(header);
      if (problem) return this.fail(problem);
      const end = header.size + Number(header.length);
      if (this.buffered.length < end) return;
      const payload = unmask(this.buffered.subarray(header.size, end), header.mask);
      this.buffered = this.buffered.subarray(end);
      this.handle(header, payload);
    }
  }

  protected readHeader(bytes: Buffer): FrameHeader | undefined {
    return readHeader(bytes);
  }

  protected checkHeader(header: FrameHeader): number | undefined {
    const isControl = header.opcode >= 0x8;
    if (!header.mask || header.rsv !== 0 || !KNOWN_OPCODES.has(header.opcode)) return 1002;
    if (isControl && (!header.fin || header.length > 125n)) return 1002;
    if (header.opcode === OPCODE.continuation ? !this.message : !isControl && this.message) return 1002;
    const sizeSoFar = header.opcode === OPCODE.continuation ? this.message!.size : 0;
    if (!isControl && BigInt(sizeSoFar) + header.length > BigInt(MAX_MESSAGE_BYTES)) return 1009;
    return undefined;
  }

  protected handle(header: FrameHeader, payload: Buffer): void {
    if (header.opcode === OPCODE.ping) return this.send(OPCODE.pong, payload);
    if (header.opcode === OPCODE.pong) return;
    if (header.opcode === OPCODE.close) return this.answerClose(payload);
    this.message ??= { opcode: header.opcode, parts: [], size: 0 };
    this.message.parts.push(payload);
    this.message.size += payload.length;
    if (!header.fin) return;
    const { opcode, parts } = this.message;
    this.message = undefined;
    this.complete(opcode, Buffer.concat(parts));
  }

  /** A whole message has arrived. */
  protected complete(opcode: number, whole: Buffer): void {
    if (opcode === OPCODE.text && !isValidUtf8(whole)) return this.fail(1007);
    this.send(opcode, whole);
  }

  protected answerClose(payload: Buffer): void {
    this.closed = true;
    this.socket.end(encodeFrame(OPCODE.close, payload.subarray(0, 2)));
  }

  protected send(opcode: number, payload: Buffer): void {
    this.socket.write(encodeFrame(opcode, payload));
  }

  protected fail(code: number): void {
    this.closed = true;
    this.socket.end(encodeFrame(OPCODE.close, closePayload(code)));
  }
}

/** Starts the lesson 16 server on PORT, reading every connection with `Reader`, its handshake as `parts` say. */
export function serveFrames(Reader: new (socket: Duplex) => Connection, parts: Partial<Parts> = {}): void {
  serve({
    ...parts,
    opened: (socket, head) => {
      const connection = new Reader(socket);
      if (head.length > 0) connection.receive(head);
      socket.on('data', (chunk: Buffer) => connection.receive(chunk));
    },
  });
}
