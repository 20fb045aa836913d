// mutant: kept lesson 15's hello, so the first frame is not the echo
// fails: echo
// message: /hello of lesson 15 is gone/
import { encodeFrame, Connection, serveFrames, OPCODE } from './_frames.ts';

class Greeter extends Connection {
  override receive(chunk: Buffer): void {
    if (!this.greeted) this.socket.write(encodeFrame(OPCODE.text, Buffer.from('Hello from a hand-made handshake!')));
    this.greeted = true;
    super.receive(chunk);
  }
  private greeted = false;
}
serveFrames(Greeter);
