import { onePositional, parseCommandArgs } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { runInteractiveClient } from '../demos/interactive-client.ts';

const USAGE = 'npm run client -- ws://localhost:8080';

/** `npm run client -- <url>`: an interactive terminal client for any WebSocket server. */
export default async function clientCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('client', args, {}, USAGE);
  const url = onePositional('client', positionals, USAGE) ?? 'ws://localhost:8080';
  if (!/^wss?:\/\//.test(url)) throw new UsageError(`client: "${url}" is not a WebSocket address; it starts with ws:// (or wss://). Usage: ${USAGE}`);
  return runInteractiveClient(url);
}
