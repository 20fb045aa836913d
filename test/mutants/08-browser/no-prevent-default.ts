// mutant: the form's submit handler sends, but does not call event.preventDefault(), so the page reloads
// fails: browser-chat
// message: /page reloaded after sending.*event\.preventDefault\(\)/s
// passes: browser-connects
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(['event.preventDefault();', '']));
