import { checkProgram } from '/work/wt-lesson-08/test/helpers.ts';
import { cleanUpEverything } from '/work/wt-lesson-08/checker/cleanup.ts';
for (const file of process.argv.slice(2)) {
  const result = await checkProgram('8', file);
  console.log(`== ${file}: ${result.status} ${result.durationMs} ms`);
  for (const c of result.checks) {
    console.log(`  ${c.status.padEnd(7)} ${c.id} ${c.durationMs}ms ${c.message}`);
    if (c.details?.explanation) console.log(`      explanation: ${c.details.explanation}`);
    if (process.env.TRANSCRIPT && c.transcript) console.log(c.transcript.map((l) => '      | ' + l).join('\n'));
  }
}
await cleanUpEverything();
