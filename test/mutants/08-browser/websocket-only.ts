// mutant: the lesson 06 server unchanged: a WebSocketServer alone on PORT, with no HTTP server for the page
// fails: page
// message: /status 426.*createServer.*new WebSocketServer\(\{ server \}\)/s
// passes: same-port
import { WebSocketServer } from 'ws';
import { attachChat, port } from './_chat-server.ts';

attachChat(new WebSocketServer({ host: '127.0.0.1', port }));
