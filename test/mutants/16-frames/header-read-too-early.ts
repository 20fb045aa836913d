// mutant: reads a longer length as soon as two bytes have arrived, before the rest of the header is there
// fails: lengths-in-pieces
// message: /Case cut-in-16-bit-length .*stopped.*readUInt16BE\(2\) on 3 bytes throws/s
// passes: byte-stream, text-sizes
import { Connection, type FrameHeader, serveFrames } from './_frames.ts';

class HastyHeader extends Connection {
  protected override readHeader(bytes: Buffer): FrameHeader | undefined {
    if (bytes.length < 2) return undefined;
    const masked = (bytes[1]! & 0x80) !== 0;
    const length7 = bytes[1]! & 0x7f;
    const length = length7 === 126 ? BigInt(bytes.readUInt16BE(2)) : length7 === 127 ? bytes.readBigUInt64BE(2) : BigInt(length7);
    const size = 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (masked ? 4 : 0);
    if (bytes.length < size) return undefined;
    return { fin: (bytes[0]! & 0x80) !== 0, rsv: (bytes[0]! >> 4) & 0x7, opcode: bytes[0]! & 0x0f, mask: masked ? bytes.subarray(size - 4, size) : undefined, length, size };
  }
}
serveFrames(HastyHeader);
