// mutant: masks the frames it sends, as a client does
// fails: echo
// message: /the frame was masked.*Only a client masks/s
import { randomBytes } from 'node:crypto';
import { Connection, encodeFrame, serveFrames, unmask } from './_frames.ts';

class MaskingServer extends Connection {
  protected override send(opcode: number, payload: Buffer): void {
    const mask = randomBytes(4);
    const frame = encodeFrame(opcode, unmask(payload, mask));
    const header = frame.subarray(0, frame.length - payload.length);
    header[1] = header[1]! | 0x80;
    this.socket.write(Buffer.concat([header, mask, frame.subarray(header.length)]));
  }
}
serveFrames(MaskingServer);
