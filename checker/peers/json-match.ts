/**
 * JSON expectations, matched by value. An expectation is written as the JSON it stands for,
 * partly: an object lists only the fields that matter (key order is ignored, extra fields in
 * what arrived are allowed), an array is compared element by element, and a field whose exact
 * value cannot be known ahead (an id, a time) takes a predicate from `like`:
 *
 *     jsonDifferences({ type: 'message', from: 'Alice', id: like.integer }, received)
 *
 * The differences come field by field, each with its path (`users[1]`, `history[0].text`), so a
 * failure can say exactly what differed.
 */
import { explain } from '../core/explanations.ts';

/** A test that any of many values passes ("an integer"), for a place in an expectation. */
class JsonPredicate {
  constructor(
    /** What it accepts, as a learner reads it: "an integer". */
    readonly description: string,
    readonly test: (value: unknown) => boolean,
  ) {}
}

export type JsonExpectation = null | boolean | number | string | JsonPredicate | readonly JsonExpectation[] | { readonly [key: string]: JsonExpectation };

/** The predicates the checks use. */
export const like = {
  integer: new JsonPredicate('an integer', (value) => Number.isInteger(value)),
  nonEmptyString: new JsonPredicate('a non-empty string', (value) => typeof value === 'string' && value.length > 0),
  /** A number from `min` to `max`, both included. */
  between: (min: number, max: number, description = `a number from ${min} to ${max}`) =>
    new JsonPredicate(description, (value) => typeof value === 'number' && value >= min && value <= max),
  /** Any value `test` accepts. */
  that: (description: string, test: (value: unknown) => boolean) => new JsonPredicate(description, test),
};

/** One place where what arrived differs from what was expected. */
export interface JsonDifference {
  /** Where: "name", "users[1]", "history[0].text"; "" for the whole value. */
  path: string;
  expected: string;
  received: string;
}

/** Every difference between `received` and the expectation, field by field (empty when it matches). */
export function jsonDifferences(expected: JsonExpectation, received: unknown, path = ''): JsonDifference[] {
  const differ = (wanted: string): JsonDifference[] => [{ path, expected: wanted, received: describeReceived(received, expected) }];
  if (expected instanceof JsonPredicate) return expected.test(received) ? [] : differ(expected.description);
  if (Array.isArray(expected)) {
    if (!Array.isArray(received)) return differ(`an array of ${count(expected.length, 'element')}`);
    const differences: JsonDifference[] = [];
    for (let i = 0; i < Math.max(expected.length, received.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= received.length) differences.push({ path: at, expected: describeJson(expected[i]), received: 'nothing (the array ends before)' });
      else if (i >= expected.length) differences.push({ path: at, expected: 'nothing (the array should end before)', received: describeJson(received[i]) });
      else differences.push(...jsonDifferences(expected[i] as JsonExpectation, received[i], at));
    }
    return differences;
  }
  if (isJsonObject(expected)) {
    if (!isJsonObject(received)) return differ('an object');
    return Object.entries(expected).flatMap(([key, value]) => {
      const at = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(received, key)) return [{ path: at, expected: describeJson(value), received: 'no such field' }];
      return jsonDifferences(value, received[key], at);
    });
  }
  return expected === received ? [] : differ(describeJson(expected));
}

/** True when `received` matches the expectation. */
export function matchesJson(expected: JsonExpectation, received: unknown): boolean {
  return jsonDifferences(expected, received).length === 0;
}

/** The differences as lines, "name: expected "Alice", received "alice"", at most `limit` of them. */
export function formatDifferences(differences: JsonDifference[], limit = 8): string {
  const lines = differences
    .slice(0, limit)
    .map((difference) => `${difference.path || 'the message'}: expected ${difference.expected}, received ${difference.received}`);
  if (differences.length > limit) lines.push(`… and ${differences.length - limit} more differences`);
  return lines.join('\n');
}

/** An expectation or a received value as compact JSON (predicates in angle brackets), cut to `max` characters. */
export function describeJson(value: unknown, max = 160): string {
  const text = JSON.stringify(value, (_key, part: unknown) => (part instanceof JsonPredicate ? `<${part.description}>` : part)) ?? String(value);
  const shown = text.replace(/"<([^>]*)>"/g, '<$1>');
  return shown.length > max ? `${shown.slice(0, max)}… (${shown.length} characters)` : shown;
}

/** Parses a frame's text; `undefined` when it is not JSON (which JSON.parse never returns). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The `type` of a JSON object, when it has a string one. */
export function jsonType(value: unknown): string | undefined {
  return isJsonObject(value) && typeof value.type === 'string' ? value.type : undefined;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonPredicate);
}

/** A received value, with its kind when that is what differs ("7" is a string, not a number). */
function describeReceived(received: unknown, expected: JsonExpectation): string {
  const shown = describeJson(received, 80);
  const kind = kindOf(received);
  const wanted = expected instanceof JsonPredicate ? undefined : kindOf(expected);
  return wanted !== undefined && kind !== wanted ? `${shown} (${article(kind)})` : shown;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function article(kind: string): string {
  return kind === 'null' ? 'null' : /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** "a "welcome" message", "an "error" message". */
function messageOfType(type: string): string {
  return `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${JSON.stringify(type)} message`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Why a frame does not meet a JSON expectation, in words for a failure. */
export interface JsonMismatch {
  /** Follows the receiver's name: "expected a "welcome" message, but received an "error" message." */
  headline: string;
  /** The differences field by field, one a line, when the frame was JSON. */
  differences?: string;
  explanation?: string;
}

/** What an expectation asks for, in words: "a "welcome" message", or "a JSON message". */
export function describeWanted(expected: JsonExpectation): string {
  const type = isJsonObject(expected) ? expected.type : undefined;
  return typeof type === 'string' ? messageOfType(type) : 'a JSON message';
}

/**
 * Compares a received frame with an expectation: `value` is the frame's parsed JSON
 * (undefined when it was not JSON). Undefined when it matches.
 */
export function jsonMismatch(expected: JsonExpectation, value: unknown, isBinary: boolean): JsonMismatch | undefined {
  const wanted = describeWanted(expected);
  if (isBinary) return { headline: `expected ${wanted}, but received a binary frame.`, explanation: explain.binaryJson };
  if (value === undefined) return { headline: `expected ${wanted}, but received text that is not JSON.`, explanation: explain.notJson };
  const differences = jsonDifferences(expected, value);
  if (differences.length === 0) return undefined;
  const twice = typeof value === 'string' && isJsonObject(parseJson(value)) ? explain.jsonTwice : undefined;
  const wantedType = isJsonObject(expected) && typeof expected.type === 'string' ? expected.type : undefined;
  const receivedType = jsonType(value);
  if (wantedType !== undefined && receivedType !== wantedType) {
    // Another kind of message: its other fields differ as a matter of course.
    const kind = receivedType === undefined ? 'JSON without a string "type"' : messageOfType(receivedType);
    return { headline: `expected ${wanted}, but received ${kind}.`, explanation: twice };
  }
  const where = differences
    .map((d) => d.path || 'the whole message')
    .slice(0, 4)
    .join(', ');
  return { headline: `received ${wanted} that differs from the expected one in ${where}.`, differences: formatDifferences(differences), explanation: twice };
}
