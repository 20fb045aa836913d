// mutant: reads the 64-bit length with readUInt32BE(2), its high half, which is 0 for any length that fits in 32 bits
// fails: text-sizes
// message: /Case text-65536 .*payload has 0 bytes instead of 65536/s
// passes: echo
import { Connection, type FrameHeader, readHeader, serveFrames } from './_frames.ts';

class ThirtyTwoBitLength extends Connection {
  protected override readHeader(bytes: Buffer): FrameHeader | undefined {
    const header = readHeader(bytes);
    if (header && (bytes[1]! & 0x7f) === 127) header.length = BigInt(bytes.readUInt32BE(2));
    return header;
  }
}
serveFrames(ThirtyTwoBitLength);
