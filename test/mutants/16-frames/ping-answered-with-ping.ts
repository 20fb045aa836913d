// mutant: answers a ping with a ping
// fails: control-frames
// message: /Case ping-empty .*a ping frame arrived.*not with a ping/s
// passes: echo, fragments
import { Connection, type FrameHeader, OPCODE, serveFrames } from './_frames.ts';

class PingBack extends Connection {
  protected override handle(header: FrameHeader, payload: Buffer): void {
    if (header.opcode === OPCODE.ping) return this.send(OPCODE.ping, payload);
    super.handle(header, payload);
  }
}
serveFrames(PingBack);
