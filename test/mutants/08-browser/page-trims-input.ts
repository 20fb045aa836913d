// mutant: tidies what was typed before sending it (trim), so a message loses its spaces
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(['const text = input.value;', 'const text = input.value.trim();']));
