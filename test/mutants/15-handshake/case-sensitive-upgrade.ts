// mutant: compares the Upgrade header with "websocket" case and all
// fails: any-case
// message: /capitals.*where the status must be 101.*without regard to case/s
// passes: accept
import { serve } from './_handshake.ts';

serve({ isWebSocketUpgrade: (request) => request.headers.upgrade === 'websocket' });
