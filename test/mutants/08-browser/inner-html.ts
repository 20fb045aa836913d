// mutant: shows each message with innerHTML, so HTML in a message becomes real elements and runs
// fails: browser-text-only
// message: /turned it into HTML.*<img>.*innerHTML.*textContent/s
// passes: browser-connects, browser-chat
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(['item.textContent = event.data;', 'item.innerHTML = event.data;']));
