import type { ServerCheckContext } from '../running/check-context.ts';
import { explain } from '../core/explanations.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';

/**
 * The rules every server lesson shares: the server keeps running, and keeps serving everyone,
 * when a client leaves cleanly, drops its connection, or breaks the protocol.
 */
export interface Served {
  /**
   * Opens a client named `name` with the steps that prove the server serves it (a round
   * trip) queued on it; awaiting the client runs them.
   */
  open: (ctx: ServerCheckContext, name: string) => ScriptedClient;
  /** Proves the server still serves a client opened earlier with `open`. */
  again: (ctx: ServerCheckContext, client: ScriptedClient, round: number) => PromiseLike<void>;
}

export function robustnessChecks(served: Served, needs: string[] = []): ServerCheck[] {
  const checks: ServerCheck[] = [
    {
      id: 'clean-disconnect',
      name: 'keeps serving after a client closes its connection, and after every client has left',
      run: async (ctx) => {
        const carol = served.open(ctx, 'carol');
        const alice = served.open(ctx, 'alice');
        // Both are served before alice leaves: what fails after, fails because she left.
        await Promise.all([carol, alice]);
        const { dave } = await survived(ctx, served, carol, 'closed its connection', explain.crashOnDisconnect, () => alice.close(1000));
        ctx.note('carol and dave close too: nobody is connected any more. Then erin connects.');
        await Promise.all([carol.close(1000), dave.close(1000)]);
        await ctx.keepsServing(served.open(ctx, 'erin'), 'every client had left', everyoneLeft);
      },
    },
    {
      id: 'abrupt-disconnect',
      name: 'keeps serving after a client drops its connection without a close frame',
      run: async (ctx) => {
        const carol = served.open(ctx, 'carol');
        const alice = served.open(ctx, 'alice');
        await Promise.all([carol, alice]);
        await survived(ctx, served, carol, 'dropped its connection', explain.crashOnDisconnect, () => alice.drop());
      },
    },
    {
      id: 'malformed-frame',
      name: "survives a client that breaks the protocol (needs an 'error' listener)",
      run: async (ctx) => {
        const carol = served.open(ctx, 'carol');
        const mallory = served.open(ctx, 'mallory');
        await Promise.all([carol, mallory]);
        ctx.note('mallory now sends a frame without a mask; a ws server rejects it and closes that connection with 1002');
        await mallory.sendUnmaskedFrame('hello').closure();
        await survived(ctx, served, carol, 'sent a malformed frame', explain.crashAfterBrokenFrame);
      },
    },
  ];
  return checks.map((check) => ({ ...check, needs }));
}

/**
 * For a server that owns its TCP sockets (no ws in between): a client whose connection is reset
 * (a TCP RST, as from a machine that lost its network mid-connection) must not stop the server.
 * Node.js reports a reset as an 'error' event on the socket.
 */
export function connectionResetCheck(served: Served, needs: string[] = []): ServerCheck {
  return {
    id: 'connection-reset',
    name: "keeps serving after a client's connection is reset (needs an 'error' listener on the socket)",
    needs,
    run: async (ctx) => {
      const carol = served.open(ctx, 'carol');
      await carol;
      const mallory = await ctx.rawConnect('mallory');
      await mallory.openWebSocket();
      mallory.reset();
      await survived(ctx, served, carol, 'reset its connection', explain.socketErrorListener);
    },
  };
}

const everyoneLeft =
  'A server serves whoever comes, also after every client has gone: nothing may end or stop working when the last one ' +
  'leaves (no process.exit(), no wss.close(), no readline closed in a close handler).';

/**
 * After one client misbehaved or left (`leaving`, when given, is how it leaves): a client that
 * connects now, and `oldClient`, are both still served. Returns the new one. A server that
 * stops while the client leaves is told the same, whichever connection noticed first.
 */
async function survived(
  ctx: ServerCheckContext,
  served: Served,
  oldClient: ScriptedClient,
  what: string,
  why: string,
  leaving?: () => PromiseLike<unknown>,
): Promise<{ dave: ScriptedClient }> {
  let dave: ScriptedClient | undefined;
  await ctx.keepsServing(
    (async () => {
      await leaving?.();
      dave = served.open(ctx, 'dave');
      await dave;
      await served.again(ctx, oldClient, 2);
    })(),
    `a client ${what}`,
    why,
  );
  // Wrapped: a client is awaitable, and a promise resolved with one would run its steps instead.
  return { dave: dave! };
}
