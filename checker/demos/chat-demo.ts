import { colors as pc } from '../terminal/colors.ts';
import { startChatBot } from './chat-bot.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';

/**
 * `npm run demo` for the chat lesson: the reference chat server on the port, Bot in the room,
 * and this terminal as a chat client for the learner. Returns the exit status.
 */
export async function runChatDemo(lessonId: string, port: number): Promise<number> {
  const url = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson ${lessonId}: the reference chat server, running on ${url}, with Bot in the room.`));
  return withReferenceServer(lessonId, port, async () => {
    const bot = await startChatBot(url);
    console.log(pc.dim(`Type your name and press Enter to join; then every line you type goes to everyone else. ${bot.name} answers everything.`));
    console.log(pc.dim(`More people: open another terminal and run \`npm run client -- ${url}\`.`));
    const status = await runInteractiveClient(url);
    await bot.stop();
    return status;
  });
}
