// mutant: checks each text fragment for UTF-8 as it arrives, instead of the whole message
// fails: utf8
// message: /Case utf8-split-across-fragments .*code 1007.*never fragment by fragment/s
// passes: echo, fragments
import { Connection, type FrameHeader, isValidUtf8, OPCODE, serveFrames } from './_frames.ts';

class FragmentChecker extends Connection {
  protected override handle(header: FrameHeader, payload: Buffer): void {
    const opcode = header.opcode === OPCODE.continuation ? this.message?.opcode : header.opcode;
    if (opcode === OPCODE.text && !isValidUtf8(payload)) return this.fail(1007);
    super.handle(header, payload);
  }
}
serveFrames(FragmentChecker);
