// mutant: ends the lines of the head with \n instead of \r\n
// fails: accept
// message: /end with \\n alone.*\\r\\n/s
import { serve } from './_handshake.ts';

serve({ head: (status, headers) => `${[`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\n')}\n\n` });
