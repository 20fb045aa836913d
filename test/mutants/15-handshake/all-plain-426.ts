// mutant: answers every plain HTTP request 426, also one that has only one of the upgrade headers
// fails: bad-request
// message: /upgrade-alone.*426 Upgrade Required" where the status must be 400.*only one of the two upgrade headers/s
// passes: plain-http
import { serve } from './_handshake.ts';

serve({ plainRequest: (_, response) => void response.writeHead(426, { Upgrade: 'websocket' }).end() });
