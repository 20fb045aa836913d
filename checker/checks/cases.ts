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
 * with its own transcript. Fails naming every case that failed, with the details and the
 * transcript of the first of them (in the table's order).
 */
export async function runCases<C extends Case>(ctx: ServerCheckContext, cases: C[], run: (peer: RawPeer, c: C) => Promise<void>): Promise<void> {
  const outcomes = await Promise.all(
    cases.map(async (c) => {
      const transcript = new Transcript();
      const alongside = cases.length > 1 ? ` (one of ${cases.length} cases run at the same time, each on its own connection)` : '';
      transcript.add('checker', 'note', `case ${c.id}: ${c.proves}${alongside}`);
      try {
        const peer = await ctx.rawConnect('client', transcript);
        await run(peer, c);
        peer.destroy();
        return undefined;
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        return { c, failure: error, transcript };
      }
    }),
  );
  const failed = outcomes.filter((outcome) => outcome !== undefined);
  const [first, ...others] = failed;
  if (!first) return;
  ctx.transcript.adopt(first.transcript);
  const more = others.length === 0 ? '' : ` Also failed: ${others.map((other) => other.c.id).join(', ')}.`;
  throw new CheckFailure(`Case ${first.c.id} (${first.c.proves}): ${first.failure.message}${more}`, {
    ...first.failure.details,
    explanation: first.failure.details.explanation ?? first.c.mistake,
  });
}
