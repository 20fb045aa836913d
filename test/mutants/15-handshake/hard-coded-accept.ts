// mutant: answers every key with the RFC example's accept value, copied from the lesson
// fails: accept
// message: /fresh-key.*computed from/s
import { serve } from './_handshake.ts';

serve({ acceptFor: () => 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' });
