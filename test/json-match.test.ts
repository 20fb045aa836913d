import { describe, expect, it } from 'vitest';
import { describeJson, formatDifferences, jsonDifferences, jsonMismatch, like, matchesJson, parseJson } from '../checker/peers/json-match.ts';

/** JSON expectations are matched by value: partial objects, any key order, arrays element by element. */
describe('jsonDifferences', () => {
  it('ignores key order and extra fields', () => {
    expect(jsonDifferences({ type: 'joined', name: 'Bob' }, { name: 'Bob', room: 'general', type: 'joined' })).toEqual([]);
  });

  it('names each differing field by its path', () => {
    const received = { type: 'welcome', name: 'alice', users: ['Bob', 'Dave'], history: [{ text: 'hi' }] };
    const expected = { type: 'welcome', name: 'Alice', users: ['Bob', 'Carol'], history: [{ text: 'hello' }] };
    expect(jsonDifferences(expected, received)).toEqual([
      { path: 'name', expected: '"Alice"', received: '"alice"' },
      { path: 'users[1]', expected: '"Carol"', received: '"Dave"' },
      { path: 'history[0].text', expected: '"hello"', received: '"hi"' },
    ]);
  });

  it('compares arrays element by element, lengths included', () => {
    expect(jsonDifferences({ users: ['A', 'B'] }, { users: ['A'] })).toEqual([
      { path: 'users[1]', expected: '"B"', received: 'nothing (the array ends before)' },
    ]);
    expect(jsonDifferences({ users: [] }, { users: ['A'] })).toEqual([
      { path: 'users[0]', expected: 'nothing (the array should end before)', received: '"A"' },
    ]);
    expect(matchesJson({ users: [{ name: 'A' }] }, { users: [{ name: 'A', extra: 1 }] })).toBe(true);
  });

  it('says when a field is missing, or of another kind', () => {
    expect(jsonDifferences({ id: 1 }, {})).toEqual([{ path: 'id', expected: '1', received: 'no such field' }]);
    expect(jsonDifferences({ id: 1 }, { id: '1' })).toEqual([{ path: 'id', expected: '1', received: '"1" (a string)' }]);
    expect(jsonDifferences({ users: [] }, { users: null })).toEqual([{ path: 'users', expected: 'an array of 0 elements', received: 'null (null)' }]);
    expect(jsonDifferences({ type: 'x' }, [])).toEqual([{ path: '', expected: 'an object', received: '[] (an array)' }]);
  });

  it('takes predicates where any of many values will do', () => {
    expect(matchesJson({ id: like.integer }, { id: 7 })).toBe(true);
    expect(jsonDifferences({ id: like.integer }, { id: 7.5 })).toEqual([{ path: 'id', expected: 'an integer', received: '7.5' }]);
    expect(matchesJson({ at: like.between(10, 20) }, { at: 20 })).toBe(true);
    expect(matchesJson({ at: like.between(10, 20) }, { at: '15' })).toBe(false);
    expect(matchesJson({ message: like.nonEmptyString }, { message: '' })).toBe(false);
  });

  it('does not take an inherited property for a field', () => {
    expect(matchesJson({ toString: like.that('anything', () => true) }, {})).toBe(false);
  });
});

describe('describing and reporting', () => {
  it('shows predicates in angle brackets and cuts long values', () => {
    expect(describeJson({ type: 'message', id: like.integer })).toBe('{"type":"message","id":<an integer>}');
    expect(describeJson({ text: 'x'.repeat(300) }, 40)).toMatch(/^\{"text":"x+… \(311 characters\)$/);
  });

  it('lists differences one a line, bounded', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ path: `users[${i}]`, expected: '"A"', received: '"B"' }));
    const lines = formatDifferences(many).split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('users[0]: expected "A", received "B"');
    expect(lines.at(-1)).toBe('… and 4 more differences');
  });

  it('parseJson gives undefined for what is not JSON, never throws', () => {
    expect(parseJson('{')).toBeUndefined();
    expect(parseJson('null')).toBeNull();
    expect(parseJson('"say"')).toBe('say');
  });
});

describe('jsonMismatch', () => {
  it('is undefined for a match', () => {
    expect(jsonMismatch({ type: 'left' }, { type: 'left', name: 'A' }, false)).toBeUndefined();
  });

  it('says which message arrived instead of the expected type', () => {
    const mismatch = jsonMismatch({ type: 'welcome', name: 'A' }, { type: 'error', code: 'bad-field' }, false);
    expect(mismatch?.headline).toBe('expected a "welcome" message, but received an "error" message.');
    expect(mismatch?.differences).toBeUndefined();
  });

  it('names the differing fields of a message of the right type', () => {
    const mismatch = jsonMismatch({ type: 'welcome', users: ['B'] }, { type: 'welcome', users: [] }, false);
    expect(mismatch?.headline).toBe('received a "welcome" message that differs from the expected one in users[0].');
  });

  it('explains text that is not JSON, binary frames and JSON encoded twice', () => {
    expect(jsonMismatch({ type: 'x' }, undefined, false)?.explanation).toMatch(/JSON\.stringify\(object\)/);
    expect(jsonMismatch({ type: 'x' }, undefined, true)?.headline).toMatch(/binary frame/);
    expect(jsonMismatch({ type: 'x' }, JSON.stringify({ type: 'x' }), false)?.explanation).toMatch(/JSON twice/);
  });
});
