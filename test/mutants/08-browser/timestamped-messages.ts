// mutant: prefixes each shown message with the time it arrived
// fails: browser-chat
// message: /#messages shows "\d+:\d+:\d+.*\[Server\]: Welcome, Alice!".*holds more than the message/s
// passes: browser-connects
// breaks: "a list `#messages` to which every received message is appended as one element whose text is the message"
import http from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>WebSocket chat</title>
  <style>
    body { font-family: sans-serif; max-width: 40rem; margin: 2rem auto; }
    #messages { list-style: none; padding: 0; border: 1px solid #ccc; min-height: 10rem; }
    #messages li { padding: 0.2rem 0.5rem; }
  </style>
</head>
<body>
  <h1>Chat</h1>
  <p>Status: <span id="status">Connecting...</span></p>
  <ul id="messages"></ul>
  <input id="message" autocomplete="off" placeholder="Your name first, then messages">
  <button id="send">Send</button>
  <script>
    (function () {
      var statusEl = document.getElementById('status');
      var messagesEl = document.getElementById('messages');
      var input = document.getElementById('message');
      var button = document.getElementById('send');
      var socket = new WebSocket('ws://' + location.host);
      socket.addEventListener('open', function () {
        statusEl.textContent = 'Connected';
      });
      socket.addEventListener('close', function () {
        statusEl.textContent = 'Disconnected';
      });
      socket.addEventListener('message', function (event) {
        var li = document.createElement('li');
        li.textContent = new Date().toLocaleTimeString() + ' ' + event.data;
        messagesEl.appendChild(li);
      });

      function send() {
        if (input.value === '') return;
        socket.send(input.value);
        input.value = '';
        input.focus();
      }

      button.addEventListener('click', send);
      input.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') send();
      });
    })();
  </script>
</body>
</html>
`;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(PAGE);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found');
});

const wss = new WebSocketServer({ server });
const users = new Map<WebSocket, string>();

function broadcast(text: string, except?: WebSocket) {
  for (const client of users.keys()) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('connection error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    const name = users.get(ws);
    if (name === undefined) {
      const wanted = text.trim();
      if (wanted === '') {
        ws.send('[Server]: Name cannot be empty.');
        return;
      }
      users.set(ws, wanted);
      ws.send(`[Server]: Welcome, ${wanted}!`);
      broadcast(`[Server]: ${wanted} has joined the chat.`, ws);
      return;
    }
    broadcast(`[${name}]: ${text}`, ws);
  });

  ws.on('close', () => {
    const name = users.get(ws);
    if (name === undefined) return;
    users.delete(ws);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`Chat page on http://127.0.0.1:${PORT}/`);
});
