import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests start real processes and sockets; a generous per-test limit, and every check's own deadlines inside.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The files run one at a time: their checks hold real programs to deadlines and timings, and
    // two files' servers, browsers and floods at once on a 2-core machine make wrong verdicts.
    fileParallelism: false,
    setupFiles: ['test/setup.ts'],
  },
});
