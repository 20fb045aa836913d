// mutant: takes messages of any size
// fails: too-big
// message: /Case text-over-1mib .*a text frame arrived.*1009/s
// passes: echo, text-sizes
import { Connection, type FrameHeader, serveFrames } from './_frames.ts';

class Unlimited extends Connection {
  protected override checkHeader(header: FrameHeader): number | undefined {
    const code = super.checkHeader(header);
    return code === 1009 ? undefined : code;
  }
}
serveFrames(Unlimited);
