// mutant: #status says Connected on open, but nothing changes it when the connection closes
// fails: browser-disconnected
// message: /server stopped, but #status .* says "Connected".*'close' event/s
// passes: browser-connects, browser-chat, browser-text-only
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(["statusLine.textContent = 'Disconnected';", '']));
