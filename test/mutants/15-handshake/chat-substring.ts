// mutant: looks for "chat" anywhere in the offer, so superchat counts as chat
// fails: subprotocol
// message: /other-offered.*must have no Sec-WebSocket-Protocol header.*whole names/s
// passes: accept
import { serve } from './_handshake.ts';

serve({ chooseProtocol: (offered) => (offered?.includes('chat') ? 'chat' : undefined) });
