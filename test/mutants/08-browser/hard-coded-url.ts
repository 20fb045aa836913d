// mutant: the page connects to a hard-coded ws://localhost:8080 instead of back to its own host
// fails: browser-connects
// message: /opened its WebSocket to ws:\/\/localhost:8080.*location\.host/s
// passes: page, same-port
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(['new WebSocket(`${scheme}//${location.host}`)', "new WebSocket('ws://localhost:8080')"]));
