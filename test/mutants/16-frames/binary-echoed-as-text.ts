// mutant: writes every echo as a text frame, binary messages included
// fails: binary-sizes
// message: /Case binary-0 .*a text frame arrived.*0x2 for binary/s
// passes: echo, text-sizes
import { Connection, OPCODE, serveFrames } from './_frames.ts';

class TextOnly extends Connection {
  protected override send(opcode: number, payload: Buffer): void {
    super.send(opcode === OPCODE.binary ? OPCODE.text : opcode, payload);
  }
}
serveFrames(TextOnly);
