import net from 'node:net';
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
