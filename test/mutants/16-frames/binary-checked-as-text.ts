// mutant: checks binary messages for UTF-8 too
// fails: utf8
// message: /Case binary-is-not-text .*code 1007.*Only text messages must be UTF-8/s
// passes: echo
import { Connection, isValidUtf8, serveFrames } from './_frames.ts';

class EverythingIsText extends Connection {
  protected override complete(opcode: number, whole: Buffer): void {
    if (!isValidUtf8(whole)) return this.fail(1007);
    this.send(opcode, whole);
  }
}
serveFrames(EverythingIsText);
