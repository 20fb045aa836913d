// mutant: copies "Sec-WebSocket-Extensions: permessage-deflate" from a real server's answer, though it compresses nothing
// fails: ws-client
// message: /could not open a WebSocket connection.*Sec-WebSocket-Extensions/s
// passes: accept, hello, close
import { serve } from './_handshake.ts';

serve({ extraHeaders: () => ({ 'Sec-WebSocket-Extensions': 'permessage-deflate' }) });
