/**
 * How the checker ends without losing what it printed. Through a pipe, Node.js writes stdout
 * and stderr asynchronously: what the pipe cannot take at once (past 64 KiB) waits in the
 * process, and process.exit() drops it, cutting a report short (a JSON report no longer parses).
 */

/** Ends the process with `status` once stdout and stderr have handed everything to the system. */
export async function exitWhenWritten(status: number): Promise<never> {
  await Promise.all([written(process.stdout), written(process.stderr)]);
  process.exit(status);
}

/** Resolves once everything written to `stream` before this call is written, or can never be. */
function written(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  // Writes complete in order, so the callback of an empty write comes after all earlier ones.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * A reader that stops reading (`npm run check | head`) is not the checker's error: what it
 * did not read is simply not delivered, and the checker finishes and cleans up as usual.
 */
export function toleratePipesClosedByReader(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
