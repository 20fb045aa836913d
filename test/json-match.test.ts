import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CheckFailure } from '../checker/core/errors.ts';
import { Transcript } from '../checker/core/transcript.ts';
import { ScriptedClient } from '../checker/peers/scripted-client.ts';
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

describe('expectJson on a scripted client', () => {
  /** A server that answers every message with the frames `replies` gives for it. */
  async function withServer(replies: (text: string) => (string | Buffer)[], use: (client: ScriptedClient) => Promise<void>): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.on('connection', (socket) =>
      socket.on('message', (data) => {
        for (const reply of replies(data.toString())) socket.send(reply);
      }),
    );
    const { port } = server.address() as AddressInfo;
    const client = new ScriptedClient({ name: 'alice', url: `ws://127.0.0.1:${port}`, transcript: new Transcript() });
    try {
      await use(client);
    } finally {
      client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it('matches by value and hands back the JSON', async () => {
    await withServer(
      () => ['{"name":"Bob","type":"joined","room":"general"}'],
      async (alice) => {
        const joined = await alice.send('hi').nextJson({ type: 'joined', name: 'Bob' });
        expect(joined.room).toBe('general');
      },
    );
  });

  it('fails clearly, without throwing anything but a CheckFailure, on a frame that is not JSON', async () => {
    await withServer(
      () => ['Welcome, Bob!'],
      async (alice) => {
        const failure = await alice
          .send('hi')
          .expectJson({ type: 'welcome' })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(failure).toBeInstanceOf(CheckFailure);
        expect((failure as CheckFailure).message).toBe('alice expected a "welcome" message, but received text that is not JSON.');
        expect((failure as CheckFailure).details.explanation).toMatch(/JSON\.stringify/);
      },
    );
  });

  it('lists the differing fields of a message of the right type', async () => {
    await withServer(
      () => ['{"type":"welcome","name":"alice","users":[]}'],
      async (alice) => {
        const failure = (await alice
          .send('hi')
          .expectJson({ type: 'welcome', name: 'Alice', users: ['Bob'] })
          .then(
            () => undefined,
            (error: unknown) => error,
          )) as CheckFailure;
        expect(failure.message).toBe('alice received a "welcome" message that differs from the expected one in name, users[0].');
        expect(failure.details.received).toContain(
          'name: expected "Alice", received "alice"\nusers[0]: expected "Bob", received nothing (the array ends before)',
        );
      },
    );
  });

  it('waits for the next message of its type, passing over others, when asked to', async () => {
    await withServer(
      () => ['{"type":"joined","name":"Bob"}', '{"type":"left","name":"Bob"}', '{"type":"rooms","rooms":[]}'],
      async (alice) => {
        await alice.send('rooms?').expectJson({ type: 'rooms', rooms: [] }, { skipOtherTypes: true });
      },
    );
  });

  it('shows the whole expected message when nothing arrives', async () => {
    await withServer(
      () => [],
      async (alice) => {
        const failure = (await alice
          .send('hi')
          .expectJson({ type: 'welcome', name: 'Alice' }, { ms: 50 })
          .then(
            () => undefined,
            (error: unknown) => error,
          )) as CheckFailure;
        expect(failure.message).toMatch(/nothing arrived/);
        expect(failure.details.expected).toBe('{"type":"welcome","name":"Alice"}');
      },
    );
  });
});
