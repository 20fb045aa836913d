// mutant: keeps only the low 32 bits of a 64-bit length (readUInt32BE(6)), so 4 GiB and 5 bytes looks like 5
// fails: too-big
// message: /Case length-beyond-4gib .*a binary frame arrived.*32-bit number/s
// passes: text-sizes, binary-sizes
import { Connection, type FrameHeader, readHeader, serveFrames } from './_frames.ts';

class LowHalfOfLength extends Connection {
  protected override readHeader(bytes: Buffer): FrameHeader | undefined {
    const header = readHeader(bytes);
    if (header && (bytes[1]! & 0x7f) === 127) header.length = BigInt(bytes.readUInt32BE(6));
    return header;
  }
}
serveFrames(LowHalfOfLength);
