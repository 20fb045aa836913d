/**
 * The ordered record of one check: every frame each client sent and received, every close
 * with its code and reason, and the program's output, as they happened. Shown on failure.
 *
 * Bounded: a flood keeps the first HEAD entries and the last TAIL ones, and counts the rest.
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

const HEAD = 200;
const TAIL = 100;
const PREVIEW_CHARS = 80;

export class Transcript {
  private readonly startedAt = performance.now();
  private readonly head: TranscriptEntry[] = [];
  private tail: TranscriptEntry[] = [];
  private omitted = 0;

  /** Milliseconds since the transcript started: the clock of its entries, for checks that measure time. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  add(actor: string, kind: TranscriptKind, text: string): void {
    const entry: TranscriptEntry = { at: Math.round(this.now()), actor, kind, text };
    if (this.head.length < HEAD) {
      this.head.push(entry);
      return;
    }
    this.tail.push(entry);
    if (this.tail.length > TAIL * 2) {
      this.omitted += this.tail.length - TAIL;
      this.tail = this.tail.slice(-TAIL);
    }
  }

  /** A frame from one side to the other: "alice → server   text \"hi\"". */
  frame(from: string, to: string, text: string): void {
    this.add(`${from} → ${to}`, 'frame', text);
  }

  entries(): TranscriptEntry[] {
    const tail = this.tail.slice(-TAIL);
    const omitted = this.omitted + this.tail.length - tail.length;
    if (omitted === 0) return [...this.head, ...tail];
    const gap: TranscriptEntry = { at: tail[0]?.at ?? 0, actor: 'checker', kind: 'note', text: `… ${omitted} more events not shown …` };
    return [...this.head, gap, ...tail];
  }

  /** Plain-text lines, one per event, for the terminal and for reports. */
  lines(): string[] {
    return this.entries().map(formatEntry);
  }
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
