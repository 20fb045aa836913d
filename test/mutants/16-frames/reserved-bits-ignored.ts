// mutant: never looks at the reserved bits
// fails: protocol-errors
// message: /Case rsv1 .*a text frame arrived.*reserved for extensions/s
// passes: echo
import { Connection, type FrameHeader, serveFrames } from './_frames.ts';

class NoReservedBits extends Connection {
  protected override checkHeader(header: FrameHeader): number | undefined {
    return super.checkHeader({ ...header, rsv: 0 });
  }
}
serveFrames(NoReservedBits);
