// mutant: answers a pong with a pong, as if it were a ping
// fails: control-frames
// message: /Case pong-ignored .*a pong frame arrived.*needs no answer/s
// passes: echo
import { Connection, type FrameHeader, OPCODE, serveFrames } from './_frames.ts';

class PongBack extends Connection {
  protected override handle(header: FrameHeader, payload: Buffer): void {
    if (header.opcode === OPCODE.pong) return this.send(OPCODE.pong, payload);
    super.handle(header, payload);
  }
}
serveFrames(PongBack);
