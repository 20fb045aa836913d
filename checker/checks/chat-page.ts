import { startBrowser, withBrowserPages, type BrowserPages, type WatchedPage } from '../peers/browser.ts';
import type { ServerCheckContext } from '../running/check-context.ts';
import { deadline, seconds } from '../core/deadlines.ts';
import { CheckFailure, describeError } from '../core/errors.ts';
import { explain } from '../core/explanations.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import { quoteText } from '../core/transcript.ts';
import { chatText } from '../core/chat-lines.ts';
import { chatRoom } from './chat.ts';
import { describeTextChange } from '../core/tricky-text.ts';

/** A chat message that is also HTML: parsed as HTML it becomes an <img> whose onerror runs alert(1). */
const HTML_PAYLOAD = '<img src=x onerror=alert(1)>';

const ELEMENTS = '<input id="message">, <button id="send">, a list <ul id="messages"> and <span id="status">';

/**
 * Checks of a chat page in a real browser (lesson 08): the page the learner's server serves
 * at /, with an input #message, a button #send, a list #messages and a status line #status,
 * talking the lesson 06 chat protocol to the server it came from. `needs` are the checks
 * that must pass before a browser is worth starting (the page is served, the port takes
 * WebSocket connections).
 */
export function chatPageChecks(needs: string[]): ServerCheck[] {
  return [
    {
      id: 'browser-connects',
      name: 'in a browser: the page connects back to its own host and #status says Connected',
      needs,
      // Loading Playwright and starting Chromium take about 0.35 s: begun with the lesson, beside its server's start.
      prepare: startBrowser,
      run: (ctx) =>
        withBrowserPages(ctx.transcript, async (pages) => {
          await ChatPage.open(pages, 'alice', ctx);
        }),
    },
    {
      id: 'browser-chat',
      name: 'in a browser: two pages join and chat both ways (Enter and the Send button)',
      needs: ['browser-connects'],
      run: (ctx) =>
        withBrowserPages(ctx.transcript, async (pages) => {
          const alice = await ChatPage.open(pages, 'alice', ctx);
          await alice.join('Alice', 'enter');
          const bob = await ChatPage.open(pages, 'bob', ctx);
          await bob.join('Bob', 'click');
          await alice.expectMessage(chatText.joined('Bob'));
          // Typed as a person might: spaces around and inside, which the page sends as they are.
          const fromAlice = '  Hello  from Alice ';
          const fromBob = 'Hi Alice, Bob here';
          await alice.send(fromAlice, 'click');
          await bob.expectMessage(chatText.line('Alice', fromAlice));
          await bob.send(fromBob, 'enter');
          await alice.expectMessage(chatText.line('Bob', fromBob));
          await alice.expectInOrder([chatText.welcome('Alice'), chatText.joined('Bob'), chatText.line('Bob', fromBob)]);
          await bob.expectInOrder([chatText.welcome('Bob'), chatText.line('Alice', fromAlice)]);
          alice.expectNoReload();
          bob.expectNoReload();
        }),
    },
    {
      id: 'browser-text-only',
      name: 'in a browser: a message with HTML in it shows as text, creates no element, runs no script',
      needs: ['browser-connects'],
      run: (ctx) =>
        withBrowserPages(ctx.transcript, async (pages) => {
          const alice = await ChatPage.open(pages, 'alice', ctx);
          await alice.join('Alice', 'click');
          const mallory = chatRoom(ctx, ['Mallory']).join('Mallory');
          await mallory;
          await alice.expectMessage(chatText.joined('Mallory'));
          ctx.note('Mallory sends a message that is also HTML, then a plain one; once the plain one shows, the first has been handled');
          await mallory.send(HTML_PAYLOAD).send('just text');
          await alice.expectMessage(chatText.line('Mallory', 'just text'));
          await alice.expectShownAsText('Mallory', chatText.line('Mallory', HTML_PAYLOAD));
        }),
    },
    {
      id: 'browser-disconnected',
      name: 'in a browser: #status says Disconnected when the server goes away',
      needs: ['browser-connects'],
      // Stops the server: a later check would get a new one. Listed last, none has to.
      run: (ctx) =>
        withBrowserPages(ctx.transcript, async (pages) => {
          const alice = await ChatPage.open(pages, 'alice', ctx);
          await ctx.stopServer();
          await alice.expectDisconnected();
        }),
    },
  ];
}

/** The little of the DOM the page functions below use (the checker is compiled without the DOM library). */
interface PageElement {
  readonly textContent: string | null;
  readonly children: ArrayLike<PageElement>;
  querySelectorAll(selectors: string): ArrayLike<unknown>;
}
declare const document: { querySelector(selectors: string): PageElement | null };

// These run inside the page. They are plain expressions, with no helper functions of their own,
// because only their source text is sent to the browser.
const statusIs = (wanted: string) => document.querySelector('#status')?.textContent?.trim() === wanted;
const showsMessage = (wanted: string) =>
  Array.from(document.querySelector('#messages')?.children ?? [], (element) => (element.textContent ?? '').trim()).includes(wanted.trim());
const elementsPresent = (ids: string) => ids.split(' ').every((id) => document.querySelector(`#${id}`) !== null);

/** A page of the chat, opened in the browser, with the steps a check takes on it. */
class ChatPage {
  private constructor(
    private readonly watched: WatchedPage,
    private readonly url: string,
  ) {}

  /**
   * Opens the page and proves it is ready: its elements are there, it opened a WebSocket
   * back to the host it came from, and #status says Connected.
   */
  static async open(pages: BrowserPages, name: string, ctx: ServerCheckContext): Promise<ChatPage> {
    const url = `${ctx.httpUrl}/`;
    const page = new ChatPage(await pages.open(name, url), url);
    await page.hasElements();
    await page.connects();
    return page;
  }

  private get name(): string {
    return this.watched.name;
  }

  private async hasElements(): Promise<void> {
    const ids = ['message', 'send', 'messages', 'status'];
    if (await this.watched.untilInPage(elementsPresent, ids.join(' '))) return;
    const missing = await this.watched.page.evaluate((all) => all.filter((id) => document.querySelector(`#${id}`) === null), ids);
    throw new CheckFailure(`The page has no element with id ${missing.map((id) => `"${id}"`).join(', ')}.`, {
      expected: ELEMENTS,
      received: `no ${missing.map((id) => `#${id}`).join(', ')}${this.scriptErrors()}`,
      explanation: 'The checker, like your own script, finds the elements by id: give them exactly these ids.',
    });
  }

  private async connects(): Promise<void> {
    const opened = await this.watched.until(() => this.watched.sockets.length > 0);
    if (!opened) {
      throw new CheckFailure(`${this.name}'s page did not open a WebSocket within ${seconds(deadline('browser'))} of loading.`, {
        expected: `a WebSocket to ws://${new URL(this.url).host}/, opened when the page loads`,
        received: `no WebSocket${this.scriptErrors()}`,
        explanation:
          this.watched.scriptErrors.length > 0
            ? "The page's script stopped with the error above before it connected. Open the page in a browser and look at the console (F12)."
            : "In the page's script, create the connection as it loads: const socket = new WebSocket(`ws://${location.host}`);",
      });
    }
    const socket = this.watched.sockets[0]!;
    const pageUrl = new URL(this.url);
    const target = new URL(socket.url);
    if (target.host !== pageUrl.host || target.protocol !== 'ws:') {
      throw new CheckFailure(`${this.name}'s page was loaded from ${pageUrl.origin}, but opened its WebSocket to ${socket.url}.`, {
        expected: `ws://${pageUrl.host}/ (built from location.host, with ws: because the page came over http:)`,
        received: socket.url,
        explanation: explain.pageConnectsElsewhere,
      });
    }
    if (await this.watched.untilInPage(statusIs, 'Connected')) return;
    const status = await this.statusText();
    if (socket.error || socket.closed) {
      throw new CheckFailure(`${this.name}'s page could not keep its WebSocket to ${socket.url} open: ${socket.error ?? 'it closed at once'}.`, {
        expected: 'the connection opens, and #status says "Connected"',
        received: `#status says ${quoteText(status)}`,
      });
    }
    throw new CheckFailure(`${this.name}'s page opened its WebSocket, but #status says ${quoteText(status)}, not "Connected".`, {
      expected: '#status says "Connected" while the connection is open',
      received: `#status says ${quoteText(status)}${this.scriptErrors()}`,
      explanation: "Set the text of #status in the socket's 'open' event: socket.addEventListener('open', () => { status.textContent = 'Connected'; });",
    });
  }

  /** Types the user name and waits for the welcome. */
  async join(name: string, how: 'enter' | 'click'): Promise<void> {
    await this.send(name, how);
    await this.expectMessage(chatText.welcome(name));
  }

  /** Types `text` into #message and sends it by pressing Enter or clicking #send; the page must send it as one text frame. */
  async send(text: string, how: 'enter' | 'click'): Promise<void> {
    const action = how === 'enter' ? 'pressing Enter in #message' : 'clicking #send';
    const before = this.watched.sent().length;
    const message = this.watched.page.locator('#message');
    await this.act(`type ${quoteText(text)} into #message`, () => message.fill(text));
    await this.act(action, () => (how === 'enter' ? message.press('Enter') : this.watched.page.locator('#send').click()));
    if (!(await this.watched.until(() => this.watched.sent().length > before))) {
      throw new CheckFailure(`${this.name} typed ${quoteText(text)} into #message, but ${action} sent nothing.`, {
        expected: `the text frame ${quoteText(text)} sent over the page's WebSocket`,
        received: `nothing sent${this.scriptErrors()}`,
        explanation:
          how === 'enter'
            ? "Enter in the input must send too. Put the input and the button in a <form> and handle its 'submit' event " +
              "(a form submits on Enter and on a click of its button), or listen for 'keydown' with event.key === 'Enter'."
            : "Listen for 'click' on #send (or 'submit' on the form around it) and call socket.send(input.value).",
      });
    }
    const sent = this.watched.sent()[before]!;
    if (sent !== text) {
      const change = describeTextChange(text, (changed) => changed === sent);
      throw new CheckFailure(`${this.name} typed ${quoteText(text)}, but the page sent ${quoteText(sent)}.`, {
        expected: `the text exactly as typed: ${quoteText(text)}`,
        received: quoteText(sent),
        explanation: change
          ? `The page ${change}. Send input.value exactly as it is: the server trims only names, and a message keeps its spaces.`
          : 'The lesson 06 protocol is plain text: send input.value as it is, with no extra wrapping.',
      });
    }
  }

  /** Waits until one element of #messages has exactly `text` as its text (spaces around it aside). */
  async expectMessage(text: string): Promise<void> {
    if (await this.watched.untilInPage(showsMessage, text)) return;
    const shown = await this.shownMessages();
    const container = await this.watched.page.evaluate(() => document.querySelector('#messages')?.textContent ?? '');
    const received = this.watched.received();
    const failure = `${this.name}'s page should show the message ${quoteText(text)} in #messages, but after ${seconds(deadline('browser'))} ${describeShown(shown, container)}.`;
    const details = { expected: `an element in #messages whose text is ${quoteText(text)}`, received: describeShown(shown, container) };
    if (this.watched.reloads > 0) {
      throw new CheckFailure(`${this.name}'s page reloaded after sending, which closed its WebSocket, so it does not show ${quoteText(text)}.`, {
        ...details,
        explanation: explain.formReloadsPage,
      });
    }
    if (!received.includes(text)) {
      const change = describeTextChange(text, (changed) => received.includes(changed));
      if (change) {
        const changed = received.find((message) => describeTextChange(text, (candidate) => candidate === message));
        throw new CheckFailure(`${failure} The server sent it changed: ${quoteText(changed ?? '')}.`, {
          ...details,
          explanation: `The server ${change}. It passes every message on exactly as it came; making text safe to show is the page's job (textContent).`,
        });
      }
      throw new CheckFailure(
        `${failure} The page never received it from the server${received.length > 0 ? `; the last message it received was ${quoteText(received.at(-1)!)}` : ''}.`,
        {
          ...details,
          explanation: this.watched.sockets.some((socket) => socket.closed)
            ? "The page's WebSocket closed. Look at the transcript for why."
            : 'Look at the transcript: the server did not send it to this page.',
        },
      );
    }
    const pieces = shown.filter((line) => line !== '' && line !== text && text.includes(line));
    throw new CheckFailure(`${failure} The page received it, but does not show it as one element with exactly that text.`, {
      ...details,
      explanation:
        pieces.length > 0
          ? `The page split the message over several elements (${pieces.map(quoteText).join(', ')}). Show each message whole, in one element: ` +
            "const item = document.createElement('li'); item.textContent = event.data; messages.append(item);"
          : shown.some((line) => line.includes(text))
            ? 'The element holds more than the message. Its text must be exactly the message the server sent (event.data).'
            : container.includes(text)
              ? "Each message needs an element of its own: const item = document.createElement('li'); item.textContent = event.data; messages.append(item);"
              : "In the socket's 'message' event, append an element with exactly the message (event.data) to #messages.",
    });
  }

  /** The messages in `expected` appear in #messages once each, in this order. */
  async expectInOrder(expected: string[]): Promise<void> {
    const wanted = expected.map((text) => text.trim());
    const shown = (await this.shownMessages()).filter((text) => wanted.includes(text));
    if (shown.length === wanted.length && shown.every((text, i) => text === wanted[i])) return;
    throw new CheckFailure(`${this.name}'s page should show each message it received once, in the order it arrived.`, {
      expected: expected.map(quoteText).join(', '),
      received: shown.map(quoteText).join(', '),
      explanation: shown.length > expected.length ? "A message shows more than once: is the 'message' listener added twice (say, once per click)?" : undefined,
    });
  }

  /** `text`, sent by `sender` with HTML_PAYLOAD in it, shows literally as one element; no element or script came out of it. */
  async expectShownAsText(sender: string, text: string): Promise<void> {
    const images = await this.watched.page.evaluate(() => document.querySelector('#messages')?.querySelectorAll('img').length ?? 0);
    const ranScript = this.watched.dialogs.length > 0;
    if (images > 0 || ranScript) {
      const what = [images > 0 ? `#messages now holds ${images} <img> element(s)` : '', ranScript ? `the page opened ${this.watched.dialogs.join(', ')}` : '']
        .filter(Boolean)
        .join(', and ');
      throw new CheckFailure(`${sender} sent ${quoteText(HTML_PAYLOAD)}, and ${this.name}'s page turned it into HTML: ${what}.`, {
        expected: `the text ${quoteText(text)}, shown as text`,
        received: what,
        explanation: explain.htmlInjection,
      });
    }
    await this.expectMessage(text);
  }

  async expectDisconnected(): Promise<void> {
    if (await this.watched.untilInPage(statusIs, 'Disconnected')) return;
    const status = await this.statusText();
    throw new CheckFailure(`The server stopped, but #status on ${this.name}'s page says ${quoteText(status)}, not "Disconnected".`, {
      expected: '#status says "Disconnected" once the connection has closed',
      received: `#status says ${quoteText(status)}`,
      explanation:
        "Set the text of #status in the socket's 'close' event, which fires however the connection ends: " +
        "socket.addEventListener('close', () => { status.textContent = 'Disconnected'; });",
    });
  }

  /** Sending must not have replaced the page (a form submitted the browser's way). */
  expectNoReload(): void {
    if (this.watched.reloads === 0) return;
    throw new CheckFailure(`${this.name}'s page was reloaded while chatting, which closed its WebSocket and lost the messages.`, {
      explanation: explain.formReloadsPage,
    });
  }

  private async act(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const reason = describeError(error).split('\n')[0];
      throw new CheckFailure(`${this.name} could not ${what}: ${reason}`, {
        expected: ELEMENTS,
        explanation: '#message must be a text input a person can type into, and #send a button they can click.',
      });
    }
  }

  private statusText(): Promise<string> {
    return this.watched.page.evaluate(() => (document.querySelector('#status')?.textContent ?? '').trim());
  }

  private shownMessages(): Promise<string[]> {
    return this.watched.page.evaluate(() => Array.from(document.querySelector('#messages')?.children ?? [], (element) => (element.textContent ?? '').trim()));
  }

  private scriptErrors(): string {
    const errors = this.watched.scriptErrors;
    return errors.length > 0 ? `; the page's script threw: ${errors.map((error) => quoteText(error)).join(', ')}` : '';
  }
}

/** What #messages shows, as "#messages shows …" (its last few elements), from its elements' texts and its whole text. */
function describeShown(shown: string[], container: string): string {
  const text = container.trim();
  if (shown.length === 0) return text ? `#messages holds text but no element: ${quoteText(text.slice(-SHOWN_TEXT_AT_MOST))}` : '#messages is empty';
  const last = shown.slice(-SHOWN_AT_MOST);
  return `#messages shows ${shown.length > last.length ? `${shown.length} elements, the last ${last.length}: ` : ''}${last.map(quoteText).join(', ')}`;
}

const SHOWN_AT_MOST = 6;
const SHOWN_TEXT_AT_MOST = 200;
