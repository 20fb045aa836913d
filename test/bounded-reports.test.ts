import { describe, expect, it } from 'vitest';
import { Transcript } from '../checker/core/transcript.ts';
import { boundedResult } from '../checker/running/bounded-result.ts';
import type { LessonResult } from '../checker/running/results.ts';
import { checkNamed, checkProgram } from './helpers.ts';
import { runCli } from './run-cli.ts';

/**
 * Reports stay bounded whatever the program does (DESIGN rule 8): a transcript shows about 60
 * entries at most, an exchange repeated again and again is one line with a count, a flood of
 * output is one line with its size, and a failed check's message stays under 16 KiB as JSON.
 */

const KiB = 1024;
/** The first and the last 30, a line for those left out between, and the line of a repetition still under way. */
const MAX_LINES = 62;

describe('a transcript', () => {
  it('keeps the first and the last entries of a long run of different events, and counts those between', () => {
    const transcript = new Transcript();
    for (let i = 1; i <= 10_000; i++) transcript.frame('alice', 'server', `text "message ${i}"`);
    const lines = transcript.lines();
    expect(lines.length).toBeLessThanOrEqual(MAX_LINES);
    expect(lines[0]).toContain('"message 1"');
    expect(lines.at(-1)).toContain('"message 10000"');
    expect(lines.join('\n')).toContain('… 9,940 more events not shown …');
  });

  it('shows an exchange repeated thousands of times once, with a line that counts the repeats', () => {
    const transcript = new Transcript();
    transcript.add('bob', 'note', 'bob connected');
    for (let i = 0; i < 4_043; i++) {
      transcript.frame('bob', 'server', 'text "count"');
      transcript.frame('server', 'bob', 'text "Clients online: 2"');
    }
    transcript.frame('bob', 'server', 'text "count"');
    const lines = transcript.lines();
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/the 2 lines above, 4,042 more times in a row$/);
    // The start of an exchange still under way is shown as it is.
    expect(lines[4]).toMatch(/bob → server {3}text "count"$/);
  });

  it('shows a flood of output as its first lines and one line with its size', () => {
    const transcript = new Transcript();
    for (let i = 1; i <= 100_000; i++) transcript.add('server', 'stdout', `debug ${i}`, 1_000);
    const lines = transcript.lines();
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/server: … 99,996 more lines on stdout \(100\.0 MB\) …$/);
  });
});

describe('a failed check', () => {
  it('keeps its message under 16 KiB as JSON, however much a program put into it', () => {
    const message = `received: ${'\x1b'.repeat(1_000_000)}`;
    const bounded = boundedResult({ id: 'x', name: 'x', status: 'failed', message, details: { received: message }, durationMs: 0 });
    expect(JSON.stringify(bounded.message).length).toBeLessThan(16 * KiB);
    expect(JSON.stringify(bounded).length).toBeLessThan(64 * KiB);
  });

  it('of a program that floods its output and replies wrongly: a small report, with the flood as lines of its size', async () => {
    const run = await runCli(['check', '1', '--server', 'node test/fixtures/faults/floods-and-replies-wrong.mjs', '--json']);
    const lesson = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!;
    const replies = checkNamed(lesson, 'replies');
    expect(replies.status).toBe('failed');
    expect(replies.transcript!.length).toBeLessThanOrEqual(MAX_LINES);
    expect(replies.transcript!.join('\n')).toMatch(/server: … [\d,]+ more lines on stdout \([\d.]+ [km]?B\) …/);
    expect(run.stdout.length).toBeLessThan(64 * KiB);
  });

  it('of a check that asks again and again (lesson 04, a client never counted out): a few tens of asks a second, one line for the repeats', async () => {
    const result = await checkProgram('4', 'test/mutants/04-lifecycle/never-removed.ts');
    const uncounts = checkNamed(result, 'uncounts');
    expect(uncounts.status).toBe('failed');
    const asked = Number(/asked "count" (\d+) times/.exec(uncounts.message)?.[1]);
    expect(asked).toBeGreaterThan(5);
    expect(asked).toBeLessThanOrEqual(60);
    expect(uncounts.transcript!.length).toBeLessThanOrEqual(20);
    expect(uncounts.transcript!.join('\n')).toMatch(/the 2 lines above, \d+ more times in a row/);
  });
});
