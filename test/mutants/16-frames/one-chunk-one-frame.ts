// mutant: takes every 'data' chunk for exactly one frame
// fails: byte-stream
// message: /Case byte-by-byte .*stream of bytes/s
// passes: echo
import { Connection, serveFrames } from './_frames.ts';

class ChunkIsFrame extends Connection {
  override receive(chunk: Buffer): void {
    this.buffered = Buffer.alloc(0);
    const header = this.readHeader(chunk);
    if (!header || this.closed) return;
    const problem = this.checkHeader(header);
    if (problem) return this.fail(problem);
    const payload = Buffer.from(chunk.subarray(header.size, header.size + Number(header.length)).map((byte, i) => byte ^ header.mask![i % 4]!));
    this.handle(header, payload);
  }
}
serveFrames(ChunkIsFrame);
