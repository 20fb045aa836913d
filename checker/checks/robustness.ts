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
  /** Queues steps proving the server still serves a client opened earlier with `open`. */
  again: (client: ScriptedClient, round: number) => PromiseLike<void>;
}

export function robustnessChecks(served: Served, needs: string[] = []): ServerCheck[] {
  const checks: ServerCheck[] = [
    {
      id: 'clean-disconnect',
      name: 'keeps serving after a client closes its connection',
      run: async (ctx) => {
        const carol = served.open(ctx, 'carol');
        const alice = served.open(ctx, 'alice');
        // Both are served before alice leaves: what fails after, fails because she left.
        await Promise.all([carol, alice]);
        await alice.close(1000);
        await survived(ctx, served, carol, 'closed its connection', explain.crashOnDisconnect);
      },
    },
    {
      id: 'abrupt-disconnect',
      name: 'keeps serving after a client drops its connection without a close frame',
      run: async (ctx) => {
        const carol = served.open(ctx, 'carol');
        const alice = served.open(ctx, 'alice');
        await Promise.all([carol, alice]);
        await alice.drop();
        await survived(ctx, served, carol, 'dropped its connection', explain.crashOnDisconnect);
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
        await survived(ctx, served, carol, 'sent a malformed frame', explain.missingErrorListener);
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

/** After one client misbehaved or left: a new client and an old one are both still served. */
async function survived(ctx: ServerCheckContext, served: Served, oldClient: ScriptedClient, what: string, why: string): Promise<void> {
  await ctx.keepsServing(
    (async () => {
      await served.open(ctx, 'dave');
      await served.again(oldClient, 2);
    })(),
    `a client ${what}`,
    why,
  );
}
