import { CheckFailure } from '../core/errors.ts';
import { Transcript } from '../core/transcript.ts';
import type { RawPeer } from '../peers/raw-peer.ts';
import type { ServerCheckContext } from '../running/check-context.ts';

/**
 * A case of a table of cases in the style of the Autobahn TestSuite: one thing a server must
 * do, tried on a connection of its own.
 */
export interface Case {
  /** Short and stable: the connection's name in the transcript, and the case's name in messages ("text-126"). */
  id: string;
  /** What the case proves, as a learner reads it. */
  proves: string;
  /** The likely mistake when this case fails, and how to fix it. */
  mistake?: string;
}

/**
 * Runs cases that do not depend on one another all at once, each on its own TCP connection and
 * with its own transcript. Fails naming the first case (in the table's order) that failed, with
 * its details and transcript, and the others that had failed by then. It does not wait for the
 * cases after that one: they cannot change which case is reported, and a wrong program keeps
 * many of them waiting out their deadlines, so they are stopped.
 */
export async function runCases<C extends Case>(ctx: ServerCheckContext, cases: C[], run: (peer: RawPeer, c: C) => Promise<void>): Promise<void> {
  /** Each case's outcome once it has finished: undefined when it passed. */
  const outcomes = new Map<number, CaseFailure<C> | undefined>();
  const peers = new Map<number, RawPeer>();
  let reportable!: () => void;
  const decided = new Promise<void>((resolve) => (reportable = resolve));
  // Decided once every case up to the first failure has finished (or every case has).
  const decide = () => {
    for (let i = 0; i < cases.length; i++) {
      if (!outcomes.has(i)) return;
      if (outcomes.get(i)) break;
    }
    reportable();
  };
  let stopping = false;
  const running = cases.map(async (c, i) => {
    const transcript = new Transcript();
    const alongside = cases.length > 1 ? ` (one of ${cases.length} cases run at the same time, each on its own connection)` : '';
    transcript.add('checker', 'note', `case ${c.id}: ${c.proves}${alongside}`);
    try {
      const peer = await ctx.rawConnect('client', transcript);
      peers.set(i, peer);
      if (stopping) return peer.destroy();
      await run(peer, c);
      peer.destroy();
      outcomes.set(i, undefined);
    } catch (error) {
      // A case stopped because the verdict was decided ends however it ends: its outcome is not used.
      if (stopping) return;
      if (!(error instanceof CheckFailure)) throw error;
      outcomes.set(i, { c, failure: error, transcript });
    }
    decide();
  });
  // A case's own error (not a failure) ends the check as before.
  await Promise.race([decided, Promise.all(running)]);
  stopping = true;
  const failed = [...outcomes.entries()].sort(([a], [b]) => a - b).flatMap(([, outcome]) => (outcome ? [outcome] : []));
  for (const [i, peer] of peers) if (!outcomes.has(i)) peer.destroy();
  await Promise.allSettled(running);
  const [first, ...others] = failed;
  if (!first) return;
  ctx.transcript.adopt(first.transcript);
  const more = others.length === 0 ? '' : ` Also failed: ${others.map((other) => other.c.id).join(', ')}.`;
  throw new CheckFailure(`Case ${first.c.id} (${first.c.proves}): ${first.failure.message}${more}`, {
    ...first.failure.details,
    explanation: first.failure.details.explanation ?? first.c.mistake,
  });
}

interface CaseFailure<C extends Case> {
  c: C;
  failure: CheckFailure;
  transcript: Transcript;
}
