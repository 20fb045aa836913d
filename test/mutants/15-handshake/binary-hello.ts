// mutant: sends the hello with opcode 2 (binary) instead of 1 (text)
// fails: hello
// message: /a binary frame arrived.*0x1 for text/s
import { serve } from './_handshake.ts';

serve({ helloFrame: (text) => Buffer.concat([Buffer.from([0x82, text.length]), Buffer.from(text)]) });
