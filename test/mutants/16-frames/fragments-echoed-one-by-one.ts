// mutant: echoes every data frame as it comes, fragments included, with its own FIN and opcode
// fails: fragments
// message: /Case text-in-three .*FIN=0.*collect the\s+fragments/s
// passes: echo, text-sizes
import { Connection, encodeFrame, type FrameHeader, serveFrames } from './_frames.ts';

class FragmentsAsTheyCome extends Connection {
  protected override handle(header: FrameHeader, payload: Buffer): void {
    if (header.opcode >= 0x8) return super.handle(header, payload);
    this.message = header.fin ? undefined : { opcode: header.opcode, parts: [], size: 0 };
    this.socket.write(encodeFrame(header.opcode, payload, (header.fin ? 0x80 : 0) | header.opcode));
  }
}
serveFrames(FragmentsAsTheyCome);
