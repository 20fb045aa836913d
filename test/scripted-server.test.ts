import net from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it, vi } from 'vitest';
import { Transcript } from '../checker/core/transcript.ts';

/**
 * The checker's own WebSocket server (for client lessons) binds a port that was free when it
 * was handed out; another program may bind it first (a race with checkers running in
 * parallel). To make that race happen every time, the allocator here hands out a taken port
 * first; everything else is real.
 */
const taken = vi.hoisted(() => ({ port: 0 }));
vi.mock('../checker/process/ports.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../checker/process/ports.ts')>();
  let first = true;
  return {
    ...real,
    allocatePort: async () => {
      if (first && taken.port) {
        first = false;
        return taken.port;
      }
      return real.allocatePort();
    },
  };
});

const { ScriptedServer } = await import('../checker/peers/scripted-server.ts');

describe('the scripted server', () => {
  it('starts on another port when the one handed out was taken meanwhile', async () => {
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    taken.port = (other.address() as net.AddressInfo).port;
    try {
      const server = await ScriptedServer.start(new Transcript());
      expect(server.port).not.toBe(taken.port);
      await server.close();
    } finally {
      other.close();
    }
  });
});

/** Opens a WebSocket to `url` and says how the attempt ended: "open", "status 503", or the error's code (ECONNREFUSED). */
function attempt(url: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.on('unexpected-response', (_request, response) => {
      resolve(`status ${response.statusCode}`);
      ws.terminate();
    });
    ws.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the scripted server, for clients that reconnect', () => {
  it('refuses handshakes with an HTTP status, stops listening and listens again on the same port, and records every attempt it sees', async () => {
    const transcript = new Transcript();
    const server = await ScriptedServer.start(transcript);
    try {
      const port = server.port;
      server.refuse(503);
      expect(await attempt(server.url)).toBe('status 503');
      expect(await attempt(server.url)).toBe('status 503');
      const [first, second] = [await server.nextAttempt(1_000), await server.nextAttempt(1_000)];
      expect(first).toMatchObject({ number: 1, refusedWith: 503 });
      expect(second).toMatchObject({ number: 2, refusedWith: 503 });
      expect(second!.at).toBeGreaterThanOrEqual(first!.at);
      expect(second!.at).toBeLessThanOrEqual(transcript.now());

      server.stopListening();
      expect(server.listening).toBe(false);
      expect(await attempt(server.url)).toBe('ECONNREFUSED');
      // Nothing listened: the attempt never reached the server, so nothing is recorded.
      expect(await server.nextAttempt(50)).toBeUndefined();

      await server.listenAgain();
      expect(server.port).toBe(port);
      server.accept();
      const opened = attempt(server.url);
      const { connection } = await server.nextConnection(1_000);
      expect(await opened).toBe('open');
      const accepted = server.attempts.at(-1);
      expect(accepted).toMatchObject({ number: 3 });
      expect(accepted!.refusedWith).toBeUndefined();
      // The attempt that opened a connection nextConnection() returned is not handed out again.
      expect(await server.nextAttempt(50)).toBeUndefined();
      await connection.closure(1_000);
      expect(transcript.lines().join('\n')).toMatch(/attempt 1 was refused with HTTP 503[\s\S]*stops listening[\s\S]*listens again/);
    } finally {
      await server.close();
    }
  });

  it('notes when it began to end a connection, before the other side can know', async () => {
    const transcript = new Transcript();
    const server = await ScriptedServer.start(transcript);
    try {
      const client = new WebSocket(server.url);
      let seenAt = 0;
      client.on('close', () => (seenAt = transcript.now()));
      const { connection } = await server.nextConnection(1_000);
      await connection.drop();
      await new Promise<void>((resolve) => (client.readyState === WebSocket.CLOSED ? resolve() : client.once('close', () => resolve())));
      expect(connection.endingAt).toBeDefined();
      expect(connection.endingAt!).toBeLessThanOrEqual(seenAt);
      expect(connection.closeInfo?.code).toBe(1006);
    } finally {
      await server.close();
    }
  });
});
