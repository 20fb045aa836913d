import { describeSize } from './text-bounds.ts';

/**
 * The ordered record of one check: every frame each client sent and received, every close
 * with its code and reason, and the program's output, as they happened. Shown on failure.
 *
 * Bounded, whatever the program does (DESIGN rule 8): an exchange repeated again and again
 * (the same frames, the same lines, in the same order) is shown once, with a line counting the
 * repeats; a flood of output lines is shown by its first few lines and one line with its size;
 * and of what remains, the first HEAD and the last TAIL entries are kept, with a line counting
 * those left out between them.
 */
export type TranscriptKind = 'frame' | 'close' | 'stdout' | 'stderr' | 'stdin' | 'note';

export interface TranscriptEntry {
  /** Milliseconds since the transcript started. */
  at: number;
  /** Who the entry is about: a client's name, "server", or "alice → server" for a frame. */
  actor: string;
  kind: TranscriptKind;
  text: string;
}

const HEAD = 30;
const TAIL = 30;
/** The longest exchange (in entries) that collapses when it repeats: a question, its answer, and a printed line or two. */
const MAX_PERIOD = 4;
/** An exchange collapses once it has happened this many times in a row. */
const REPEATS_TO_COLLAPSE = 3;
/** Lines of one output stream in a row that are shown before the rest becomes one line with its size. */
const FLOOD_AFTER = 4;
const PREVIEW_CHARS = 80;

/** One line of the record: an entry, or a line standing for many. */
type Row =
  | { kind: 'entry'; entry: TranscriptEntry }
  | { kind: 'flood'; actor: string; stream: 'stdout' | 'stderr'; lines: number; chars: number; at: number }
  | { kind: 'repeat'; period: number; more: number; at: number };

/** An exchange that keeps repeating: the rows of one occurrence, and where the next one has got to. */
interface Repetition {
  pattern: TranscriptEntry[];
  /** Occurrences after the one shown. */
  more: number;
  /** How many entries of the next occurrence have arrived. */
  matched: TranscriptEntry[];
  at: number;
}

export class Transcript {
  private readonly startedAt = performance.now();
  private readonly head: Row[] = [];
  private tail: Row[] = [];
  /** Entries left out between head and tail. */
  private omitted = 0;
  private repetition: Repetition | undefined;

  /** Milliseconds since the transcript started: the clock of its entries, for checks that measure time. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  /** Records an event; `chars` is the size of an output line as printed, before any cut. */
  add(actor: string, kind: TranscriptKind, text: string, chars = text.length + 1): void {
    this.record({ at: Math.round(this.now()), actor, kind, text }, chars);
  }

  /**
   * Adds the entries of a transcript that was kept apart (one case among several run at once),
   * timed from this transcript's start.
   */
  adopt(other: Transcript): void {
    const offset = Math.round(other.startedAt - this.startedAt);
    const adopted = other.entries().map((entry) => ({ ...entry, at: entry.at + offset }));
    // A stable sort keeps the order of entries made in the same millisecond.
    const merged = [...this.entries(), ...adopted].sort((a, b) => a.at - b.at);
    this.head.length = 0;
    this.tail = [];
    this.omitted = 0;
    this.repetition = undefined;
    for (const entry of merged) this.record(entry, entry.text.length + 1);
  }

  private record(entry: TranscriptEntry, chars: number): void {
    if (this.continuesRepetition(entry)) return;
    if (this.extendsFlood(entry, chars)) return;
    this.push({ kind: 'entry', entry });
    this.startRepetition();
  }

  /** A frame from one side to the other: "alice → server   text \"hi\"". */
  frame(from: string, to: string, text: string): void {
    this.add(`${from} → ${to}`, 'frame', text);
  }

  entries(): TranscriptEntry[] {
    const tail = this.tail.slice(-TAIL);
    const omitted = this.omitted + weight(this.tail.slice(0, this.tail.length - tail.length));
    const gap: TranscriptEntry[] =
      omitted === 0 ? [] : [{ at: tail[0] ? rowAt(tail[0]) : 0, actor: 'checker', kind: 'note', text: `… ${count(omitted, 'more event')} not shown …` }];
    const repeating = this.repetition ? [rowEntry(repeatRow(this.repetition)), ...this.repetition.matched] : [];
    return [...this.head.map(rowEntry), ...gap, ...tail.map(rowEntry), ...repeating];
  }

  /** Plain-text lines, one per event, for the terminal and for reports. */
  lines(): string[] {
    return this.entries().map(formatEntry);
  }

  /** The rows the newest ones are in. */
  private get newest(): Row[] {
    return this.tail.length > 0 ? this.tail : this.head;
  }

  private push(row: Row): void {
    if (this.head.length < HEAD) {
      this.head.push(row);
      return;
    }
    this.tail.push(row);
    if (this.tail.length > TAIL * 2) {
      this.omitted += weight(this.tail.slice(0, this.tail.length - TAIL));
      this.tail = this.tail.slice(-TAIL);
    }
  }

  /** Takes `entry` into the repetition under way, if it is its next step; else ends the repetition. */
  private continuesRepetition(entry: TranscriptEntry): boolean {
    const repetition = this.repetition;
    if (!repetition) return false;
    if (sameEvent(repetition.pattern[repetition.matched.length]!, entry)) {
      repetition.matched.push(entry);
      if (repetition.matched.length === repetition.pattern.length) {
        repetition.more += 1;
        repetition.at = entry.at;
        repetition.matched = [];
      }
      return true;
    }
    this.repetition = undefined;
    this.push(repeatRow(repetition));
    // The start of an occurrence that did not finish is shown as it happened.
    for (const started of repetition.matched) this.push({ kind: 'entry', entry: started });
    return false;
  }

  /** Counts `entry` into a flood of output lines, when it continues one. */
  private extendsFlood(entry: TranscriptEntry, chars: number): boolean {
    if (entry.kind !== 'stdout' && entry.kind !== 'stderr') return false;
    const rows = this.newest;
    const last = rows.at(-1);
    if (last?.kind === 'flood' && last.actor === entry.actor && last.stream === entry.kind) {
      last.lines += 1;
      last.chars += chars;
      last.at = entry.at;
      return true;
    }
    const previous = rows.slice(-FLOOD_AFTER);
    const flooding =
      previous.length === FLOOD_AFTER && previous.every((row) => row.kind === 'entry' && row.entry.kind === entry.kind && row.entry.actor === entry.actor);
    if (!flooding) return false;
    this.push({ kind: 'flood', actor: entry.actor, stream: entry.kind, lines: 1, chars, at: entry.at });
    return true;
  }

  /** When the newest entries are one exchange happening for the third time in a row, keeps one and starts counting. */
  private startRepetition(): void {
    const rows = this.newest;
    for (let period = 1; period <= MAX_PERIOD; period++) {
      const span = period * REPEATS_TO_COLLAPSE;
      if (rows.length < span) return;
      const recent = rows.slice(-span);
      if (!recent.every((row) => row.kind === 'entry')) continue;
      const entries = recent.map((row) => (row as { entry: TranscriptEntry }).entry);
      if (!entries.every((entry, i) => i < period || sameEvent(entry, entries[i - period]!))) continue;
      rows.splice(rows.length - span + period);
      this.repetition = { pattern: entries.slice(0, period), more: REPEATS_TO_COLLAPSE - 1, matched: [], at: entries.at(-1)!.at };
      return;
    }
  }
}

function sameEvent(a: TranscriptEntry, b: TranscriptEntry): boolean {
  return a.actor === b.actor && a.kind === b.kind && a.text === b.text;
}

function repeatRow(repetition: Repetition): Row {
  return { kind: 'repeat', period: repetition.pattern.length, more: repetition.more, at: repetition.at };
}

function rowEntry(row: Row): TranscriptEntry {
  switch (row.kind) {
    case 'entry':
      return row.entry;
    case 'flood':
      return { at: row.at, actor: row.actor, kind: 'note', text: `… ${count(row.lines, 'more line')} on ${row.stream} (${describeSize(row.chars)}) …` };
    case 'repeat': {
      const what = row.period === 1 ? 'the line above' : `the ${row.period} lines above`;
      return { at: row.at, actor: 'checker', kind: 'note', text: `↑ ${what}, ${count(row.more, 'more time')} in a row` };
    }
  }
}

function rowAt(row: Row): number {
  return row.kind === 'entry' ? row.entry.at : row.at;
}

/** How many events the rows stand for. */
function weight(rows: Row[]): number {
  return rows.reduce((sum, row) => sum + (row.kind === 'flood' ? row.lines : row.kind === 'repeat' ? row.period * row.more : 1), 0);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function formatEntry(entry: TranscriptEntry): string {
  const time = `${String(entry.at).padStart(5)} ms`;
  switch (entry.kind) {
    case 'frame':
      return `${time}  ${entry.actor}   ${entry.text}`;
    case 'stdout':
      return `${time}  ${entry.actor} stdout │ ${entry.text}`;
    case 'stderr':
      return `${time}  ${entry.actor} stderr │ ${entry.text}`;
    case 'stdin':
      return `${time}  ${entry.actor} stdin  │ ${entry.text}`;
    default:
      return `${time}  ${entry.actor}: ${entry.text}`;
  }
}

/** A text payload as it should appear in a transcript or a failure message. */
export function quoteText(text: string): string {
  const shown = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  const suffix = text.length > PREVIEW_CHARS ? ` (${text.length} characters)` : '';
  return `${JSON.stringify(shown)}${suffix}`;
}

export function describeFrame(data: string | Buffer, isBinary: boolean): string {
  if (!isBinary) return `text ${quoteText(data.toString())}`;
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const asText = bytes.toString('utf8');
  // Binary that is really text is the classic "sent the Buffer back" mistake: show the text.
  if (bytes.length > 0 && !asText.includes('\uFFFD') && !/[\x00-\x08\x0e-\x1f]/.test(asText)) {
    return `binary frame (${bytes.length} bytes) holding the text ${quoteText(asText)}`;
  }
  const hex = bytes.subarray(0, 12).toString('hex').replace(/(..)/g, '$1 ').trim();
  return `binary <${hex}${bytes.length > 12 ? ' …' : ''}> (${bytes.length} bytes)`;
}
