import { describeError } from '../core/errors.ts';
import { findRedisServer, startRedisServer } from '../process/redis-server.ts';
import { colors as pc } from '../terminal/colors.ts';
import { withReferenceServer } from './demo.ts';
import { chatWithBot } from './json-chat-demo.ts';

/**
 * `npm run demo -- 17`: a redis-server of the checker's own, two instances of the reference
 * server sharing it (A on the port, B on the next one), Bot in the chat on B, and this terminal
 * a user of A: what Bot says crosses from B to A through Redis, and what the learner says
 * crosses the other way.
 */
export async function runScaleOutDemo(port: number): Promise<number> {
  const found = findRedisServer();
  if ('missing' in found) {
    console.error(pc.red(found.missing));
    return 1;
  }
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  try {
    redis = await startRedisServer(found.executable);
  } catch (error) {
    console.error(pc.red(describeError(error)));
    return 1;
  }
  const [urlA, urlB] = [`ws://localhost:${port}`, `ws://localhost:${port + 1}`];
  const env = { REDIS_URL: redis.url };
  console.log(pc.bold(`Lesson 17: two instances of the reference server, A on ${urlA} and B on ${urlB}, sharing the Redis at ${redis.url}.`));
  console.log(pc.dim('You are a user of A; Bot is a user of B. Everything between you goes through Redis.'));
  try {
    return await withReferenceServer(
      '17',
      port,
      () =>
        withReferenceServer(
          '17',
          port + 1,
          () =>
            chatWithBot(urlA, urlB, {
              more: `More people, on either instance: in another terminal, \`npm run client -- ${urlA}\` or \`npm run client -- ${urlB}\` (there you type the JSON yourself).`,
            }),
          { env, label: 'B' },
        ),
      { env, label: 'A' },
    );
  } finally {
    await redis.stop();
  }
}
