// mutant: shows who speaks and what they say as two elements of the list, the name in bold
// fails: browser-chat
// message: /#messages shows "Server", "Welcome, Alice!".*split the message over several elements/s
// passes: browser-connects
import { pageWith, servePage } from './_chat-server.ts';

servePage(
  pageWith([
    `const item = document.createElement('li');
        item.textContent = event.data;
        messages.append(item);`,
    `const [, from, text] = /^\\[([^\\]]*)\\]: (.*)$/s.exec(event.data) ?? [, '', event.data];
        const who = document.createElement('b');
        who.textContent = from;
        const item = document.createElement('li');
        item.textContent = text;
        messages.append(who, item);`,
  ]),
);
