// mutant: answers a close frame that has no code with code 1000
// fails: close
// message: /Case close-no-code .*its code is 1000.*carries none/s
// passes: echo
import { closePayload, Connection, encodeFrame, OPCODE, serveFrames } from './_frames.ts';

class AlwaysACode extends Connection {
  protected override answerClose(payload: Buffer): void {
    this.closed = true;
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000;
    this.socket.end(encodeFrame(OPCODE.close, closePayload(code)));
  }
}
serveFrames(AlwaysACode);
