// mutant: decides that text is invalid when toString() puts a U+FFFD in it
// fails: utf8
// message: /Case utf8-replacement-character .*code 1007.*U\+FFFD.*is a valid character/s
// passes: echo
import { Connection, OPCODE, serveFrames } from './_frames.ts';

class ReplacementSpotter extends Connection {
  protected override complete(opcode: number, whole: Buffer): void {
    if (opcode === OPCODE.text && whole.toString('utf8').includes('\uFFFD')) return this.fail(1007);
    this.send(opcode, whole);
  }
}
serveFrames(ReplacementSpotter);
