// mutant: the page never updates #status, so it says "Connecting…" forever
// fails: browser-connects
// message: /#status says "Connecting…", not "Connected".*'open' event/s
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(["statusLine.textContent = 'Connected';", ''], ["statusLine.textContent = 'Disconnected';", '']));
