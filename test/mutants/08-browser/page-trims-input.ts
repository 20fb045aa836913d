// mutant: tidies what was typed before sending it (trim), so a message loses its spaces
// fails: browser-chat
// message: /typed "  Hello  from Alice ", but the page sent "Hello  from Alice".*trimmed it/s
// passes: browser-connects, browser-text-only
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(['const text = input.value;', 'const text = input.value.trim();']));
