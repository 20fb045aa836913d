import { CheckFailure, CheckSkipped, describeError } from '../core/errors.ts';
import { displayPath } from '../core/paths.ts';
import { packagesImportedBy, scriptFilesOf } from '../process/imports.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';

/**
 * For the lessons that open up what a library does: the learner's program (with every file of
 * its own it imports) must not import the library. A check, so that a learner who reaches for
 * it is told why, rather than a program that mysteriously passes.
 */
export function noLibraryCheck(library = 'ws'): ServerCheck {
  return {
    id: `no-${library}`,
    name: `uses no WebSocket library: does not import ${library}`,
    run: async (ctx) => {
      const files = scriptFilesOf(ctx.server.source, ctx.server.cwd);
      if (files.length === 0) {
        throw new CheckSkipped(`Not run: the checker reads the imports of TypeScript and JavaScript files only, and the command names none.`);
      }
      for (const file of files) {
        let imported: Set<string>;
        try {
          imported = await packagesImportedBy(file);
        } catch (error) {
          throw new CheckSkipped(`Not run: the imports of ${displayPath(file)} could not be read (${describeError(error).split('\n')[0]}).`);
        }
        if (!imported.has(library)) continue;
        throw new CheckFailure(
          `${displayPath(file)} imports ${library}. In this lesson you write the protocol yourself, with node:http and node:crypto only.`,
          {
            expected: `no import of ${library}`,
            received: `imports: ${[...imported].sort().join(', ')}`,
            explanation:
              `Remove the import of ${library} (and of anything built on it). The 'upgrade' event of node:http hands you the request and ` +
              "the raw TCP socket: you answer the handshake with socket.write() and read the client's bytes with socket.on('data', ...).",
          },
        );
      }
    },
  };
}
