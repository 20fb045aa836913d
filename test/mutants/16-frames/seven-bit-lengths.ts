// mutant: reads the 7-bit length as the length, even when it says 126 or 127
// fails: text-sizes
// message: /Case text-126 .*126 means the length follows in 2 bytes/s
// passes: echo
import { Connection, type FrameHeader, serveFrames } from './_frames.ts';

class SevenBitLengths extends Connection {
  protected override readHeader(bytes: Buffer): FrameHeader | undefined {
    if (bytes.length < 6) return undefined;
    const mask = bytes.subarray(2, 6);
    return { fin: (bytes[0]! & 0x80) !== 0, rsv: (bytes[0]! >> 4) & 0x7, opcode: bytes[0]! & 0x0f, mask, length: BigInt(bytes[1]! & 0x7f), size: 6 };
  }
}
serveFrames(SevenBitLengths);
