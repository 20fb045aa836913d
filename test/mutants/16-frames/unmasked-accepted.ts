// mutant: never looks at the mask bit, and echoes an unmasked frame
// fails: protocol-errors
// message: /Case unmasked .*a text frame arrived.*Every frame from a client is masked/s
// passes: echo
import { Connection, type FrameHeader, serveFrames } from './_frames.ts';

class MaskOptional extends Connection {
  protected override checkHeader(header: FrameHeader): number | undefined {
    return super.checkHeader({ ...header, mask: header.mask ?? Buffer.alloc(4) });
  }
}
serveFrames(MaskOptional);
