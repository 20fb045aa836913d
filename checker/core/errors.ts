/** A mistake in how a command was called (unknown lesson, unknown flag). Exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FailureDetails {
  /** What the lesson's contract asked for, in the learner's terms. */
  expected?: string;
  /** What actually arrived. */
  received?: string;
  /** A sentence naming the likely mistake and how to fix it. */
  explanation?: string;
}

/**
 * A check that found the learner's program doing the wrong thing. Thrown by expectations and
 * caught by the lesson runner, which turns it into a failed check with a transcript.
 */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  constructor(
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
  }
}

/**
 * A failure the checker itself may have caused: it ran too late to judge (a busy machine kept it
 * waiting past a deadline the learner's program had to meet, a heartbeat's, say). The runner
 * tries a concurrent check that fails so once more, on a new run of the learner's server, and
 * reports the second try.
 */
export class CheckerWasLate extends CheckFailure {
  override name = 'CheckerWasLate';
}

/** A check that could not run here (no browser, say); reported as skipped with the reason. */
export class CheckSkipped extends Error {
  override name = 'CheckSkipped';
}

/** Returns a human-readable one-liner for anything thrown, without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Awaits `steps` (and returns what they give); a failure that names no mistake gets `explanation` (a function is asked
 * only when a failure needs it, so it can look at the failure and at what the program did; undefined leaves it as it is).
 */
export async function explained<T>(steps: PromiseLike<T>, explanation: string | ((failure: CheckFailure) => string | undefined)): Promise<T> {
  try {
    return await steps;
  } catch (error) {
    if (error instanceof CheckFailure && !error.details.explanation) {
      const text = typeof explanation === 'string' ? explanation : explanation(error);
      if (text) throw new CheckFailure(error.message, { ...error.details, explanation: text });
    }
    throw error;
  }
}
