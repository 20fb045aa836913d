import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LessonResult } from '../checker/running/results.ts';
import { runCli } from './run-cli.ts';
import { parseXml, type XmlElement } from './xml.ts';

/**
 * What graders and CI read: the --json report (schema in docs/grading.md), the --junit XML
 * report, and the timeout scale for slow machines.
 */

const scratch = mkdtempSync(path.join(os.tmpdir(), 'workbook-grading-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const AWKWARD = 'node test/fixtures/grading/awkward-output.mjs';
const python = '/usr/bin/python3';
const hasPython = spawnSync(python, ['--version']).status === 0;

/** One run of lesson 01 against the awkward program, with both reports, shared by the tests below. */
const awkwardRun = (async () => {
  const junitFile = path.join(scratch, 'reports', 'nested', 'workbook.xml');
  const run = await runCli(['check', '1', '--server', AWKWARD, '--json', '--junit', junitFile]);
  return { run, junitFile };
})();

describe.concurrent('the --json report', () => {
  it('follows the documented schema', async () => {
    const { run } = await awkwardRun;
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report).sort()).toEqual(['lessons', 'schemaVersion', 'summary']);
    expect(report.summary).toEqual({ passed: 0, failed: 1, skipped: 0 });
    const [lesson] = report.lessons as LessonResult[];
    expect(lesson).toMatchObject({ id: '01', slug: 'echo', title: expect.any(String), status: 'failed', durationMs: expect.any(Number) });
    for (const check of lesson!.checks) {
      expect(check).toMatchObject({ id: expect.any(String), name: expect.any(String), message: expect.any(String), durationMs: expect.any(Number) });
      expect(['passed', 'failed', 'skipped']).toContain(check.status);
    }
    const failed = lesson!.checks.find((c) => c.status === 'failed')!;
    expect(failed.id).toBe('replies');
    expect(failed.message).toMatch(/Your server stopped/);
    expect(failed.details).toMatchObject({ received: expect.any(String), explanation: expect.any(String) });
    expect(failed.transcript).toEqual(expect.arrayContaining([expect.stringMatching(/server stdout │ <tag attr="x"/)]));
  });
});

describe.concurrent('the --junit report', () => {
  const read = async () => {
    const { run, junitFile } = await awkwardRun;
    return { run, xml: readFileSync(junitFile, 'utf8'), lesson: (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]! };
  };

  it('is well-formed XML, with one testsuite per lesson and one testcase per check', async () => {
    const { xml, lesson } = await read();
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const skipped = lesson.checks.filter((check) => check.status === 'skipped').length;
    expect(skipped).toBe(lesson.checks.length - 2);
    expect(root.attributes).toMatchObject({ tests: String(lesson.checks.length), failures: '1', errors: '0', skipped: String(skipped) });
    const [suite, ...others] = root.children;
    expect(others).toEqual([]);
    expect(suite!.name).toBe('testsuite');
    expect(suite!.attributes.name).toBe('01-echo: Echo server');
    expect(suite!.children.map((c) => c.name)).toEqual(lesson.checks.map(() => 'testcase'));
    suite!.children.forEach((testcase, i) => {
      const check = lesson.checks[i]!;
      expect(testcase.attributes.classname).toBe('lessons.01-echo');
      expect(testcase.attributes.name).toBe(`${check.name} [${check.id}]`);
      expect(Number(testcase.attributes.time)).toBeCloseTo(check.durationMs / 1000, 2);
      const outcome = testcase.children.map((c) => c.name);
      expect(outcome).toEqual(check.status === 'passed' ? [] : [check.status === 'failed' ? 'failure' : 'skipped']);
      if (check.status === 'skipped') expect(testcase.children[0]!.attributes.message).toBe(check.message);
    });
  });

  it('keeps the failure message and the transcript, with awkward characters escaped', async () => {
    const { xml, lesson } = await read();
    const failure = findAll(parseXml(xml), 'failure')[0]!;
    const check = lesson.checks.find((c) => c.status === 'failed')!;
    expect(failure.attributes.message).toBe(check.message);
    expect(failure.attributes.type).toBe('CheckFailure');
    // The reply was cut inside an emoji: half of it cannot be XML, and is shown as an escape.
    expect(failure.text).toContain('received: stdout:');
    expect(failure.text).toContain('Error: <crash> & "burn"');
    // A line of output cut at 500 characters, inside an emoji: the half cannot be XML, so it is shown as an escape.
    expect(failure.text).toContain(`server stdout │ ${'b'.repeat(499)}\\uD83D… (line cut)`);
    expect(failure.text).toContain('transcript (ms since the check began):');
    expect(failure.text).toContain(`<tag attr="x" other='y'>&amp; ]]> \\x1B[31mred\\x1B[0m nul:\\x00 bell:\\x07 \\uFFFE tab:\t cr:`);
    expect(failure.text).toContain('é 👋');
    expect(failure.text).toContain('bad:\uFFFD\uFFFD');
  });

  it.skipIf(!hasPython)("reads the same in a real XML parser (Python's expat)", async () => {
    const { xml } = await read();
    const { junitFile } = await awkwardRun;
    const dump = spawnSync(python, ['-c', PYTHON_TREE, junitFile], { encoding: 'utf8' });
    expect(dump.stderr).toBe('');
    expect(JSON.parse(dump.stdout)).toEqual(parseXml(xml));
  });

  it('an unwritable file is a one-line usage error (exit status 2)', async () => {
    const blocked = path.join(scratch, 'a-file');
    writeFileSync(blocked, 'a file, not a folder');
    const run = await runCli(['check', '1', '--solutions', '--junit', path.join(blocked, 'report.xml')]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/could not write the JUnit report to .*report\.xml/)]);
  });
});

describe.concurrent('the timeout scale', () => {
  it.each(['abc', '0', '-1', 'Infinity', ''])('--timeout-scale %j is a usage error (exit status 2)', async (value) => {
    const run = await runCli(['check', '1', '--solutions', `--timeout-scale=${value}`]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--timeout-scale takes a positive number/)]);
  });

  it('a bad WORKBOOK_TIMEOUT_SCALE is a usage error (exit status 2)', async () => {
    const run = await runCli(['check', '1', '--solutions'], { env: { WORKBOOK_TIMEOUT_SCALE: 'fast' } });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/WORKBOOK_TIMEOUT_SCALE is "fast", but it must be a positive number/)]);
  });

  it('WORKBOOK_TIMEOUT_SCALE scales the deadlines', async () => {
    const run = await runCli(['check', '1', '--server', 'node test/fixtures/faults/never-listens.mjs', '--json'], { env: { WORKBOOK_TIMEOUT_SCALE: '0.2' } });
    expect(run.status).toBe(1);
    const starts = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!.checks[0]!;
    expect(starts.message).toMatch(/Nothing is listening on port \d+ .*after 1\.0 s/);
  });

  it('--timeout-scale scales the deadlines, and wins over the variable', async () => {
    const run = await runCli(['check', '1', '--server', 'node test/fixtures/faults/never-listens.mjs', '--json', '--timeout-scale', '0.3'], {
      env: { WORKBOOK_TIMEOUT_SCALE: '0.2' },
    });
    expect(run.status).toBe(1);
    const starts = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!.checks[0]!;
    expect(starts.message).toMatch(/Nothing is listening on port \d+ .*after 1\.5 s/);
  });
});

function findAll(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((child) => findAll(child, name))];
}

/** Parses with expat and prints the tree in the shape parseXml returns. */
const PYTHON_TREE = `
import json, sys, xml.dom.minidom as minidom
def tree(e):
    return {
        "name": e.tagName,
        "attributes": dict(e.attributes.items()),
        "text": "".join(n.data for n in e.childNodes if n.nodeType == n.TEXT_NODE),
        "children": [tree(c) for c in e.childNodes if c.nodeType == c.ELEMENT_NODE],
    }
print(json.dumps(tree(minidom.parse(sys.argv[1]).documentElement)))
`;
