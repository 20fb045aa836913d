import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { removeTempPath, trackCloser, trackTempPath } from '../process/cleanup.ts';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckSkipped, describeError } from '../core/errors.ts';
import { quoteText, type Transcript } from '../core/transcript.ts';

/**
 * Real browser pages for checks, driven by playwright-core through the system's Chromium
 * (Playwright's own browser download is not used). One browser serves every check of the
 * process: it starts at the first check that asks for a page and closes when the checker
 * cleans up. Each check opens its own pages; when it ends they are emptied (which closes their
 * WebSockets) and kept for the next check, since a new tab costs a new renderer process.
 *
 * Without a Chromium, asking for a page throws CheckSkipped with the reason and the fix.
 */
export const CHROMIUM_VARIABLE = 'WORKBOOK_CHROMIUM';
/**
 * Debian's Chromium builds, the lighter first: the headless shell (package
 * chromium-headless-shell: the same engine without the parts that draw windows, and what
 * Playwright itself uses for headless pages) starts in a third of the time and uses a third of
 * the processor time of the full browser (package chromium), which serves as well.
 */
export const DEBIAN_CHROMIUMS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * For the headless shell: the browser and its pages in one process, with no renderer to start
 * for each new tab (the checks drive a page or two at a time): lesson 08 takes about 80 ms
 * less. The full Chromium is slower so, by a second.
 */
const HEADLESS_SHELL_ARGS = ['--single-process'];

const HOW_TO_INSTALL = `Install Chromium (sudo apt-get install chromium-headless-shell, or chromium) or set ${CHROMIUM_VARIABLE} to a Chromium or Chrome executable.`;

/** The Chromium to use: WORKBOOK_CHROMIUM when set, else Debian's. */
export function findChromium(): { executable: string } | { missing: string } {
  const configured = process.env[CHROMIUM_VARIABLE];
  if (configured) {
    return existsSync(configured)
      ? { executable: configured }
      : { missing: `No browser checks: ${CHROMIUM_VARIABLE} is ${configured}, which does not exist. ${HOW_TO_INSTALL}` };
  }
  const executable = DEBIAN_CHROMIUMS.find((candidate) => existsSync(candidate));
  if (executable) return { executable };
  return { missing: `No browser checks: no Chromium at ${DEBIAN_CHROMIUMS.join(' or ')}. ${HOW_TO_INSTALL}` };
}

let running: Promise<BrowserContext> | undefined;
/** Tabs of the shared browser that no check is using, showing about:blank. */
let idlePages: Page[] = [];

/** Starts the shared browser now, for a check that will need it (its `prepare`). */
export function startBrowser(): void {
  // A browser that cannot start is reported by the check that asks for a page.
  sharedBrowser().catch(() => {});
}

/** The shared browser, started on first use. Rejects with CheckSkipped when there is none. */
function sharedBrowser(): Promise<BrowserContext> {
  running ??= launch();
  return running;
}

async function launch(): Promise<BrowserContext> {
  const found = findChromium();
  if ('missing' in found) throw new CheckSkipped(found.missing);
  // A fresh profile for every run: no cache, no history, nothing from a person's own browsing.
  const profile = mkdtempSync(path.join(tmpdir(), 'workbook-chromium-'));
  trackTempPath(profile);
  const ms = deadline('browserLaunch');
  let context: BrowserContext;
  try {
    // Loaded here, not at the top: Playwright is large, and most commands never start a browser.
    // Required rather than imported: an import of a CommonJS package first scans all its source
    // for export names, a fifth of a second of processor time for Playwright.
    const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: found.executable,
      headless: true,
      args: path.basename(found.executable).includes('headless-shell') ? [...CHROMIUM_ARGS, ...HEADLESS_SHELL_ARGS] : CHROMIUM_ARGS,
      timeout: ms,
      // Chromium's own temporary files (its single-instance socket) go into the profile too,
      // so that removing the profile leaves nothing, even of a browser that had to be killed.
      env: { ...process.env, TMPDIR: profile },
      // The checker's own cleanup closes the browser on Ctrl-C and on exit.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    removeTempPath(profile);
    const why = isTimeout(error) ? `it did not start within ${seconds(ms)}` : firstLine(describeError(error));
    throw new CheckSkipped(`No browser checks: the Chromium at ${found.executable} could not start (${why}). ${HOW_TO_INSTALL}`);
  }
  const untrack = trackCloser(async () => {
    await context.close().catch(() => {});
    removeTempPath(profile);
  });
  // If the browser goes away (it crashed, or cleanup closed it), the next check starts a new
  // one. Its profile stays registered, and is removed once the browser has surely exited.
  context.on('close', () => {
    running = undefined;
    idlePages = [];
    untrack();
  });
  // A persistent context opens with a tab of its own: closed, checks open theirs.
  await Promise.all(context.pages().map((page) => page.close()));
  return context;
}

/**
 * Runs `body` with a set of pages in the shared browser, and closes every page it opened when
 * it ends, however it ends. Throws CheckSkipped when no browser is available.
 */
export async function withBrowserPages<T>(transcript: Transcript, body: (pages: BrowserPages) => Promise<T>): Promise<T> {
  const context = await sharedBrowser();
  const pages = new BrowserPages(context, transcript);
  try {
    return await body(pages);
  } finally {
    await pages.close();
  }
}

export class BrowserPages {
  private readonly opened: WatchedPage[] = [];
  private readonly servers: Server[] = [];

  constructor(
    private readonly context: BrowserContext,
    private readonly transcript: Transcript,
  ) {}

  /** Opens a page named `name` (as it appears in the transcript) and loads `url` in it. */
  async open(name: string, url: string): Promise<WatchedPage> {
    const idle = idlePages.pop();
    // A kept tab may be behind another, where its page would run timers and animation frames
    // (by which the checker watches it) only once a second: it comes to the front first.
    if (idle) await idle.bringToFront();
    const page = idle ?? (await this.context.newPage());
    const watched = new WatchedPage(name, page, this.transcript);
    this.opened.push(watched);
    await watched.load(url);
    return watched;
  }

  /**
   * Opens an empty page served by the checker on loopback, for a check that runs a script of
   * its own in a page. Unlike about:blank, a page that came from a loopback address may open
   * connections to loopback (Chromium's local network access checks).
   */
  async openBlank(name: string): Promise<WatchedPage> {
    const server = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>checker</title>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    const { port } = server.address() as AddressInfo;
    this.transcript.add(`${name} (page)`, 'note', `an empty page from the checker's own web server on port ${port}`);
    return this.open(name, `http://127.0.0.1:${port}/`);
  }

  /**
   * Ends the check's pages: each goes back to about:blank, which closes its WebSockets before
   * the next check begins, and waits there for the next check. A page that cannot is closed.
   */
  async close(): Promise<void> {
    await Promise.all(
      this.opened.map(async (watched) => {
        watched.detach();
        const page = watched.page;
        try {
          // The tab's session storage would outlive the navigation; the next check gets a clean tab.
          await page.evaluate('sessionStorage.clear()').catch(() => {});
          await page.goto('about:blank', { timeout: deadline('browser') });
          idlePages.push(page);
        } catch {
          await page.close().catch(() => {});
        }
      }),
    );
    for (const server of this.servers.splice(0)) server.close();
  }
}

/** One WebSocket the page opened, as the browser saw it. */
export interface PageSocket {
  url: string;
  sent: string[];
  received: string[];
  /** The browser's error message, when the connection failed. */
  error?: string;
  closed: boolean;
}

/**
 * A page, with a record of what it did that a check may need to explain a failure: the
 * WebSockets it opened and their frames, uncaught errors in its script, dialogs it opened
 * (dismissed at once), and navigations after the first load. All of it goes to the transcript.
 */
export class WatchedPage {
  readonly sockets: PageSocket[] = [];
  readonly scriptErrors: string[] = [];
  readonly dialogs: string[] = [];
  /** How many times the page was replaced by another document after it first loaded. */
  reloads = 0;
  private loaded = false;
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly page: Page,
    private readonly transcript: Transcript,
  ) {
    page.setDefaultTimeout(deadline('browser'));
    const actor = `${name} (page)`;
    this.listen('websocket', (socket) => {
      const record: PageSocket = { url: socket.url(), sent: [], received: [], closed: false };
      this.sockets.push(record);
      transcript.add(actor, 'note', `opened a WebSocket to ${record.url}`);
      socket.on('framesent', ({ payload }) => {
        const text = payload.toString();
        record.sent.push(text);
        transcript.frame(actor, 'server', typeof payload === 'string' ? `text ${quoteText(text)}` : `binary (${payload.length} bytes)`);
        this.changed();
      });
      socket.on('framereceived', ({ payload }) => {
        const text = payload.toString();
        record.received.push(text);
        transcript.frame('server', actor, typeof payload === 'string' ? `text ${quoteText(text)}` : `binary (${payload.length} bytes)`);
        this.changed();
      });
      socket.on('socketerror', (message) => {
        record.error ??= message;
        transcript.add(actor, 'note', `WebSocket error: ${message}`);
        this.changed();
      });
      socket.on('close', () => {
        record.closed = true;
        transcript.add(actor, 'close', 'its WebSocket closed');
        this.changed();
      });
      this.changed();
    });
    this.listen('pageerror', (error) => {
      this.scriptErrors.push(error.message);
      transcript.add(actor, 'note', `uncaught error in the page's script: ${error.message}`);
      this.changed();
    });
    // Failed requests are noted with their address (the console's own line for them has none).
    this.listen('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        transcript.add(actor, 'note', `console error: ${message.text()}`);
      }
    });
    this.listen('response', (response) => {
      if (response.status() >= 400)
        transcript.add(actor, 'note', `${response.request().method()} ${new URL(response.url()).pathname} answered ${response.status()}`);
    });
    this.listen('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}(${JSON.stringify(dialog.message())})`);
      transcript.add(actor, 'note', `the page opened a dialog: ${dialog.type()}(${JSON.stringify(dialog.message())})`);
      void dialog.dismiss().catch(() => {});
      this.changed();
    });
    this.listen('framenavigated', (frame) => {
      if (frame !== page.mainFrame() || !this.loaded) return;
      this.reloads++;
      transcript.add(actor, 'note', `the page was replaced: the browser loaded ${frame.url()}`);
      this.changed();
    });
  }

  /** Stops recording: the page goes on to serve another check. */
  detach(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Listens to the page until detached. */
  private listen: Page['on'] = (event: string, listener: (...args: never[]) => void) => {
    this.page.on(event as 'close', listener as () => void);
    this.stops.push(() => this.page.off(event as 'close', listener as () => void));
    return this.page;
  };

  async load(url: string): Promise<void> {
    this.transcript.add(`${this.name} (page)`, 'note', `loads ${url}`);
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: deadline('browser') });
    this.loaded = true;
  }

  /** Every text frame the page has sent, over all its WebSockets. */
  sent(): string[] {
    return this.sockets.flatMap((socket) => socket.sent);
  }

  received(): string[] {
    return this.sockets.flatMap((socket) => socket.received);
  }

  /**
   * Waits until `test` holds for what the page has done (its sockets, errors, dialogs),
   * looking again after each event. Resolves false if it still does not hold after `ms`.
   */
  async until(test: () => boolean, ms = deadline('browser')): Promise<boolean> {
    if (test()) return true;
    let look = () => {};
    const held = new Promise<boolean>((resolve) => {
      look = () => {
        if (test()) resolve(true);
      };
      this.listeners.add(look);
    });
    return withDeadline(held, ms, () => new Error('not yet'))
      .catch(() => test())
      .finally(() => this.listeners.delete(look));
  }

  /**
   * Waits until `predicate` (run inside the page, again at every frame the page draws)
   * returns true. Resolves false if it does not within `ms`.
   */
  async untilInPage(predicate: (arg: string) => boolean, arg: string, ms = deadline('browser')): Promise<boolean> {
    try {
      await this.page.waitForFunction(predicate, arg, { timeout: ms });
      return true;
    } catch (error) {
      if (isTimeout(error)) return false;
      throw error;
    }
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Playwright's TimeoutError, recognised without loading Playwright. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? text;
}
