import { afterAll } from 'vitest';
import { cleanUpEverything } from '../checker/process/cleanup.ts';

// What a test file started and did not stop (the shared browser and its profile, above all)
// is stopped and removed when the file is done, as the command line does on exit.
afterAll(cleanUpEverything);
