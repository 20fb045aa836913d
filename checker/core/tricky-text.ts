/**
 * Text that realistic wrong programs mishandle, for the checks' inputs, and the usual ways a
 * program changes a text it should pass on exactly as it came, so that a failure can say which
 * one it saw instead of only "wrong text".
 */

/** Keys every plain JavaScript object has: a program that keeps names or commands as an object's keys trips over them. */
export const BUILT_IN_KEYS = ['toString', 'constructor', '__proto__'];

const escapeHtml = (quotes: string) => (text: string) =>
  text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : !quotes.includes(c) ? c : c === '"' ? '&quot;' : '&#39;'));

const CHANGES: { did: string; change: (text: string) => string }[] = [
  { did: 'trimmed it (the spaces around a text are part of it)', change: (text) => text.trim() },
  { did: 'escaped its HTML (a < became &lt;)', change: escapeHtml('') },
  { did: 'escaped its HTML (a < became &lt;)', change: escapeHtml('"') },
  { did: 'escaped its HTML (a < became &lt;)', change: escapeHtml(`"'`) },
  { did: 'normalized its Unicode (letters sent decomposed, e + ́, came back composed, é)', change: (text) => text.normalize('NFC') },
  { did: 'squeezed the spaces inside it', change: (text) => text.replace(/\s+/g, ' ') },
  { did: 'squeezed and trimmed its spaces', change: (text) => text.replace(/\s+/g, ' ').trim() },
  { did: 'removed its spaces', change: (text) => text.replace(/\s+/g, '') },
  { did: 'kept only its first line', change: (text) => text.split(/\r?\n/)[0]! },
  {
    did: 'decoded its bytes one at a time (String.fromCharCode, or latin1), which garbles every character beyond ASCII: data.toString() decodes UTF-8',
    change: (text) => Buffer.from(text, 'utf8').toString('latin1'),
  },
];

/**
 * What was done to `sent` on the way, as "trimmed it", when one of the usual changes turns it
 * into a text for which `arrived` is true; undefined when none does.
 */
export function describeTextChange(sent: string, arrived: (changed: string) => boolean): string | undefined {
  for (const { did, change } of CHANGES) {
    const changed = change(sent);
    if (changed !== sent && arrived(changed)) return did;
  }
  return undefined;
}
