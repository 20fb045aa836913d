// mutant: ends the last header line but forgets the empty line that ends the head
// fails: accept
// message: /before its head was complete.*empty line/s
import { serve } from './_handshake.ts';

serve({ head: (status, headers) => `${[`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n')}\r\n` });
