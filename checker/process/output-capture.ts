import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

const TAIL_CHARS = 8_000;
const MAX_LINE_CHARS = 500;

/**
 * Reads one output stream of a program without ever holding more than a few kilobytes of it,
 * so a program that prints a gigabyte costs the checker CPU, not memory. Complete lines are
 * passed to `onLine` (cut at MAX_LINE_CHARS, with the line's size as printed); the last
 * TAIL_CHARS are kept for messages.
 */
export class OutputCapture {
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private tailText = '';
  totalBytes = 0;
  /** Resolves once the stream has closed: every line the program printed has been passed on. */
  readonly closed: Promise<void>;

  constructor(
    stream: Readable,
    private readonly onLine: (line: string, chars: number) => void,
  ) {
    stream.on('data', (chunk: Buffer) => this.push(chunk));
    stream.on('end', () => this.flush());
    this.closed = new Promise((resolve) => stream.once('close', () => resolve()));
  }

  private push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    const text = this.decoder.write(chunk);
    this.tailText = (this.tailText + text).slice(-TAIL_CHARS);
    const lines = (this.partial + text).split('\n');
    this.partial = (lines.pop() ?? '').slice(-MAX_LINE_CHARS * 2);
    for (const line of lines) this.onLine(clip(line), line.length + 1);
  }

  private flush(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.onLine(clip(rest), rest.length);
  }

  /** The last `lines` lines of output. */
  tail(lines = 12): string {
    return this.tailText.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Everything kept (the last few kilobytes). */
  text(): string {
    return this.tailText;
  }
}

function clip(line: string): string {
  const trimmed = line.replace(/\r$/, '');
  return trimmed.length > MAX_LINE_CHARS ? `${trimmed.slice(0, MAX_LINE_CHARS)}… (line cut)` : trimmed;
}
