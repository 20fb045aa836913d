// mutant: masks the hello, as a client would
// fails: hello
// message: /the frame was masked.*Only a client masks/s
// passes: accept
import { randomBytes } from 'node:crypto';
import { serve } from './_handshake.ts';

serve({
  helloFrame: (text) => {
    const mask = randomBytes(4);
    const payload = Buffer.from(text).map((byte, i) => byte ^ mask[i % 4]!);
    return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload]);
  },
});
