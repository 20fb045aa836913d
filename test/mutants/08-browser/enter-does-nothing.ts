// mutant: no form: only a click on the button sends, so Enter in the input does nothing
// fails: browser-chat
// message: /pressing Enter in #message sent nothing.*'submit'/s
// passes: browser-connects
import { pageWith, servePage } from './_chat-server.ts';

servePage(pageWith(
  ['<form id="composer">', '<div id="composer">'],
  ['</form>', '</div>'],
  ["form.addEventListener('submit'", "document.querySelector('#send').addEventListener('click'"],
));
