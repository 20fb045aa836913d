import { CheckFailure } from '../core/errors.ts';
import { seconds } from '../core/deadlines.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';

/** `client`'s connection must close with 1001 (going away) within `ms` of SIGTERM to its server (lessons 11 and 17). */
export async function closedWith1001(client: ScriptedClient, ms: number): Promise<void> {
  const info = await client.closure(ms).catch(() => undefined);
  if (info?.code === 1001) return;
  throw new CheckFailure(
    info
      ? `After SIGTERM, your server closed ${client.name}'s connection with code ${info.code}, not 1001.`
      : `After SIGTERM, ${client.name}'s connection stayed open for ${seconds(ms)}.`,
    {
      expected: 'close with code 1001 (going away)',
      received: info ? `close with code ${info.code}${info.reason ? ` and reason "${info.reason}"` : ''}` : 'the connection still open',
      explanation:
        info?.code === 1006
          ? 'The connections ended without a close frame: your server stopped without closing them, killed by the signal (no handler ran) or ' +
            "ended with process.exit(). Handle the signal, process.once('SIGTERM', shutDown), close each connection there with " +
            "socket.close(1001, 'Server shutting down'), and let the process end by itself."
          : info
            ? "A server that shuts down says so with 1001 (going away): socket.close(1001, 'Server shutting down')."
            : "On SIGTERM, close every connection: for (const socket of wss.clients) socket.close(1001, 'Server shutting down').",
    },
  );
}
