// mutant: always answers Sec-WebSocket-Protocol: chat, offered or not
// fails: subprotocol
// message: /Sec-WebSocket-Protocol: chat; it must have no Sec-WebSocket-Protocol header/
import { serve } from './_handshake.ts';

serve({ chooseProtocol: () => 'chat' });
