// mutant: expects Connection to be exactly "Upgrade", not a list holding it
// fails: any-case
// message: /connection-list.*comma-separated list/s
// passes: accept
import { serve } from './_handshake.ts';

serve({ asksUpgrade: (connection) => connection?.toLowerCase() === 'upgrade' });
