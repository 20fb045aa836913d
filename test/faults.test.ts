import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadline } from '../checker/core/deadlines.ts';
import { livingMembers } from '../checker/process/process-group.ts';
import type { CheckResult, LessonResult } from '../checker/running/results.ts';
import { startCli, type CliRun } from './run-cli.ts';

/**
 * The harness against faulty programs (test/fixtures/faults/), through the command line as a
 * user runs it: each gets the right verdict with a clear message, within its deadline, exit
 * status 1 (0 for the two that are right), and leaves no process behind. Each fault program
 * records its pid and process group (FAULT_RECORD), so "nothing left" is checked for real.
 */

const FAULTS = 'test/fixtures/faults';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'workbook-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Recorded {
  role: string;
  pid: number;
  pgid: number;
  signal?: string;
  bytes?: number;
}

interface FaultRun {
  run: CliRun;
  lesson: LessonResult;
  records: Recorded[];
}

let runs = 0;

function faultCommand(name: string, recordFile: string, env: Record<string, string> = {}): string {
  const vars = Object.entries({ FAULT_RECORD: recordFile, ...env }).map(([key, value]) => `${key}='${value}'`);
  return `${vars.join(' ')} node ${FAULTS}/${name}.mjs`;
}

function readRecords(file: string): Recorded[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Recorded);
}

/** Checks lesson 01 against a fault program through the CLI, with --json. */
async function checkFault(
  name: string,
  options: { env?: Record<string, string>; preload?: string[]; cliEnv?: Record<string, string> } = {},
): Promise<FaultRun> {
  const recordFile = path.join(scratch, `${name}-${++runs}.jsonl`);
  const run = await startCli(['check', '1', '--server', faultCommand(name, recordFile, options.env), '--json'], {
    env: options.cliEnv,
    preload: options.preload,
  }).done;
  let report: { lessons: LessonResult[] };
  try {
    report = JSON.parse(run.stdout) as { lessons: LessonResult[] };
  } catch {
    throw new Error(`check printed no JSON report (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { run, lesson: report.lessons[0]!, records: readRecords(recordFile) };
}

function check(lesson: LessonResult, id: string): CheckResult {
  const found = lesson.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

function said(result: CheckResult): string {
  return [result.message, result.details?.expected, result.details?.received, result.details?.explanation].join('\n');
}

/** The program ran (it recorded itself) and no process of any of its groups is left. */
function expectNothingLeft(records: Recorded[]): void {
  expect(records.filter((r) => r.role === 'program').length, 'the program recorded its start').toBeGreaterThan(0);
  for (const pgid of new Set(records.map((r) => r.pgid))) {
    expect(livingMembers(pgid), `processes left in group ${pgid}`).toEqual([]);
  }
}

/** A failing verdict from check `id`, within its deadline, exit status 1, nothing left. */
function expectFailure({ run, lesson, records }: FaultRun, id: string, message: RegExp): CheckResult {
  const failed = check(lesson, id);
  expect(failed.status, said(failed)).toBe('failed');
  expect(said(failed)).toMatch(message);
  expect(failed.durationMs).toBeLessThan(deadline('check'));
  expect(run.status, run.stderr).toBe(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expectNothingLeft(records);
  return failed;
}

function expectPass({ run, lesson, records }: FaultRun): void {
  expect(lesson.checks.filter((c) => c.status !== 'passed').map(said)).toEqual([]);
  expect(run.status, run.stderr).toBe(0);
  expectNothingLeft(records);
}

/** A port nothing listens on, outside the range the checker hands out (it binds then frees one). */
async function someOtherPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.concurrent('fault programs', () => {
  it('never listens: "nothing is listening" after the start deadline', async () => {
    const result = await checkFault('never-listens');
    const starts = expectFailure(result, 'starts', /Nothing is listening on port \d+ .*after 5\.0 s.*process\.env\.PORT/s);
    expect(starts.durationMs).toBeGreaterThanOrEqual(deadline('start'));
    expect(result.lesson.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
  });

  it('crashes before listening: the message shows its error', async () => {
    const result = await checkFault('crashes-before-listening');
    expectFailure(result, 'starts', /stopped before it started listening.*SyntaxError: Expected double-quoted property name/s);
  });

  it('crashes on the first message: the message shows its error', async () => {
    const result = await checkFault('crashes-on-first-message');
    expectFailure(result, 'replies', /Your server stopped \(it exited with status 1\) while alice was connected.*is not valid JSON/s);
  });

  it('blocks its event loop: nothing arrives, and the reply deadline says so', async () => {
    const result = await checkFault('blocks-event-loop');
    expectFailure(result, 'replies', /nothing arrived within 2\.0 s.*busy computing all the while/s);
  });

  it('never replies, idle: nothing arrives, and it is not called busy', async () => {
    const result = await checkFault('never-replies');
    const replies = expectFailure(result, 'replies', /nothing arrived within 2\.0 s/);
    expect(said(replies)).not.toMatch(/busy/);
  });

  it('prints a line, then replies wrongly: the transcript shows the line', async () => {
    // Output and frames travel apart, so their order in the transcript is not guaranteed; that the line is there is.
    const result = await checkFault('prints-then-replies-wrong');
    const replies = expectFailure(result, 'replies', /expected the message "Echo: hello"/);
    expect(replies.transcript?.join('\n')).toContain('server stdout │ about to reply to hello');
  });

  it('ignores SIGTERM and SIGINT: it is killed after the grace period', async () => {
    const result = await checkFault('ignores-signals');
    expectFailure(result, 'replies', /expected the message "Echo: hello".*sent the message back unchanged/s);
    expect(
      result.records.some((r) => r.role === 'ignored' && r.signal === 'SIGTERM'),
      'it was asked politely first',
    ).toBe(true);
    expect(result.run.ms).toBeGreaterThanOrEqual(deadline('killGrace'));
  });

  it('starts a grandchild that outlives it: the grandchild is stopped too', async () => {
    const result = await checkFault('leaves-grandchild');
    expectFailure(result, 'starts', /stopped before it started listening.*the database is not reachable/s);
    expect(
      result.records.some((r) => r.role === 'grandchild'),
      'the grandchild ran',
    ).toBe(true);
  });

  it("floods stdout: a clear verdict, and the checker's memory stays bounded", async () => {
    const peak = (file: string) => Number(readFileSync(file, 'utf8'));
    const floodPeak = path.join(scratch, 'flood-peak');
    const quietPeak = path.join(scratch, 'quiet-peak');
    const preload = ['./test/fixtures/report-peak-memory.mjs'];
    // However slow this machine is, all of the output is read: the start deadline is stretched.
    const slow = { WORKBOOK_TIMEOUT_SCALE: '10' };
    const [flood, quiet] = await Promise.all([
      checkFault('floods-stdout', { preload, cliEnv: { ...slow, PEAK_MEMORY_FILE: floodPeak } }),
      // The same verdict from a quiet program: what the checker needs anyway.
      checkFault('crashes-before-listening', { preload, cliEnv: { ...slow, PEAK_MEMORY_FILE: quietPeak } }),
    ]);
    expectFailure(flood, 'starts', /stopped before it started listening.*gave up after printing \d+ bytes/s);
    expect(Math.max(...flood.records.map((r) => r.bytes ?? 0))).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expectFailure(quiet, 'starts', /stopped before it started listening/);
    const grewKiB = peak(floodPeak) - peak(quietPeak);
    expect(grewKiB, `the checker's peak memory grew by ${grewKiB} KiB while it read 64 MiB`).toBeLessThan(48 * 1024);
  }, 120_000);

  it('listens on a hard-coded port: the message says so', async () => {
    const fixed = await someOtherPort();
    const result = await checkFault('hard-coded-port', { env: { FIXED_PORT: String(fixed) } });
    const starts = expectFailure(result, 'starts', new RegExp(`listening on port ${fixed}.*hard-code ${fixed} instead of reading PORT`, 's'));
    expect(starts.durationMs, 'said early, not at the start deadline').toBeLessThan(deadline('start'));
  });

  it('accepts and at once closes every connection: the handshake failure is explained', async () => {
    const result = await checkFault('accepts-and-closes');
    expectFailure(result, 'replies', /alice could not open a WebSocket connection.*not a WebSocket server|WebSocket handshake/s);
  });

  it('takes 1.5 s to start listening: passes (readiness is "the port accepts", not a fixed wait)', async () => {
    const result = await checkFault('slow-start');
    expectPass(result);
    expect(check(result.lesson, 'starts').durationMs).toBeGreaterThanOrEqual(1_500);
  });

  it('binds only ::1 and is otherwise right: passes', async () => {
    expectPass(await checkFault('ipv6-only'));
  });

  it('closes its standard output and error at once, and is otherwise right: passes', async () => {
    expectPass(await checkFault('closes-output'));
  });
});

describe.concurrent('Ctrl-C during a check', () => {
  /** Starts a check of `name`, waits until the program runs, then sends the checker SIGINT. */
  async function interrupt(name: string, env: Record<string, string>, times: number): Promise<{ run: CliRun; records: Recorded[] }> {
    const recordFile = path.join(scratch, `${name}-interrupted-${++runs}.jsonl`);
    const cli = startCli(['check', '1', '--server', faultCommand(name, recordFile, env)]);
    const exited = cli.done.then(() => true);
    // The second Ctrl-C comes while the checker waits out the grace period after SIGTERM.
    const cues = [(r: Recorded[]) => r.some((x) => x.role === 'program'), (r: Recorded[]) => r.some((x) => x.role === 'ignored')];
    for (const cue of cues.slice(0, times)) {
      while (!cue(readRecords(recordFile))) {
        if (await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(false), 10))])) {
          throw new Error(`the check ended before it could be interrupted:\n${(await cli.done).stdout}`);
        }
      }
      cli.child.kill('SIGINT');
    }
    return { run: await cli.done, records: readRecords(recordFile) };
  }

  it("stops the learner's program and exits with status 130", async () => {
    const { run, records } = await interrupt('never-listens', {}, 1);
    expect(run.status, run.stderr).toBe(130);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expectNothingLeft(records);
  });

  it('still stops a program that ignores SIGTERM, even when Ctrl-C is pressed twice', async () => {
    const { run, records } = await interrupt('ignores-signals', { FAULT_HANG: '1' }, 2);
    expect(run.status, run.stderr).toBe(130);
    expectNothingLeft(records);
  });
});
