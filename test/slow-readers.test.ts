import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { CheckFailure } from '../checker/core/errors.ts';
import { Transcript } from '../checker/core/transcript.ts';
import { Flood } from '../checker/peers/flood.ts';
import { ScriptedClient } from '../checker/peers/scripted-client.ts';
import { MemoryWatch } from '../checker/process/memory.ts';
import { RunningProgram } from '../checker/process/program.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { allocatePort, releasePort } from '../checker/process/ports.ts';
import { waitUntilListening } from '../checker/process/readiness.ts';

/**
 * The harness pieces the slow-client lesson stands on, tested against servers in this process
 * whose every byte is known: a client that stops reading, what the kernel's tables say was
 * written to it, a checked flood through a hub, and a program's resident memory.
 */

const MIB = 1024 * 1024;
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const thing of opened.splice(0)) thing.close();
});

/** A ws server on loopback that hands each connection to `onConnection`. */
async function serve(onConnection: (socket: WebSocket, wss: WebSocketServer) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    onConnection(socket, wss);
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  opened.push(
    {
      close: () => {
        for (const client of wss.clients) client.terminate();
      },
    },
    wss,
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

function client(url: string, name = 'alice'): ScriptedClient {
  const peer = new ScriptedClient({ name, url, transcript: new Transcript(), wsOptions: { generateMask: (mask) => void mask.fill(0) } });
  opened.push({ close: () => peer.terminate() });
  return peer;
}

describe('a client that stops reading', () => {
  it('knows how much the server has written to it, the rest waiting in the server, and when the server lets go of it', async () => {
    let server: WebSocket | undefined;
    const url = await serve((socket) => {
      server = socket;
    });
    const alice = client(url);
    await alice.stopReading();
    const before = alice.bytesWrittenByServer()!;
    const frames = 512;
    const frame = Buffer.alloc(16 * 1024, 'a');
    for (let i = 0; i < frames; i++) server!.send(frame);
    // Looks in one turn of the event loop share one reading of the tables: take a new turn.
    await new Promise((resolve) => setImmediate(resolve));
    const asked = frames * (frame.length + 4);
    const written = alice.bytesWrittenByServer()! - before;
    // The kernels hold some of it (a few MiB at most); the server's program holds the rest, and ws counts at least that.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(asked);
    expect(written + server!.bufferedAmount).toBeGreaterThanOrEqual(asked);
    expect(alice.serverHoldsConnection()).toBe(true);
    server!.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    // Its end leaves ESTABLISHED at once, though what it had sent still waits for alice to read.
    expect(alice.serverHoldsConnection()).toBe(false);
  });

  it("sees a program let go of its connection among the program's open files", async () => {
    const port = await allocatePort();
    const program = RunningProgram.start(
      { kind: 'command', command: 'node test/fixtures/faults/correct.mjs' },
      { env: { PORT: String(port) }, cwd: projectRoot },
    );
    opened.push({ close: () => void program.stop().then(() => releasePort(port)) });
    await waitUntilListening(program, port);
    const alice = new ScriptedClient({ name: 'alice', url: `ws://127.0.0.1:${port}`, transcript: new Transcript(), program });
    opened.push({ close: () => alice.terminate() });
    await alice.send('hi').expectText('Echo: hi');
    expect(alice.serverHoldsConnection()).toBe(true);
    expect(alice.serverHoldsConnection()).toBe(true);
    await program.stop();
    expect(alice.serverHoldsConnection()).toBe(false);
  });

  it('gets everything that waited, in order, when it reads again', async () => {
    const url = await serve((socket) => {
      socket.on('message', () => {
        for (let i = 1; i <= 300; i++) socket.send(`message ${i} ${'x'.repeat(16 * 1024)}`);
      });
    });
    const alice = client(url);
    await alice.stopReading().send('go');
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      alice.divert((data) => {
        if (received.push(data.toString('latin1', 0, 12).split(' ').slice(0, 2).join(' ')) === 300) resolve();
      }),
    );
    await alice.readAgain();
    await all;
    expect(received[0]).toBe('message 1');
    expect(received[299]).toBe('message 300');
  });
});

describe('a flood through a hub', () => {
  const hub = (forward: (socket: WebSocket, data: Buffer, index: number) => void) => {
    let index = 0;
    return serve((socket, wss) =>
      socket.on('message', (data: Buffer) => {
        const i = index++;
        for (const other of wss.clients) forward(other, data, i);
      }),
    );
  };

  it('publishes every message once, within its window, and every receiver gets each in order', async () => {
    const url = await hub((socket, data) => socket.send(data, { binary: false }));
    const [alice, bob] = [client(url, 'alice'), client(url, 'bob')];
    await Promise.all([alice, bob]);
    const flood = new Flood({ label: 'test', publisher: alice, receivers: [alice, bob], count: 200, size: 4096, window: 8, transcript: new Transcript() });
    let looks = 0;
    await flood.publish({ every: 50, stop: () => ++looks === 2 });
    expect(flood.published).toBe(flood.handled);
    expect(flood.published).toBeGreaterThanOrEqual(100);
    expect(flood.published).toBeLessThan(200);
    await flood.publish();
    expect([flood.reception(alice).received, flood.reception(bob).received]).toEqual([200, 200]);
    expect(flood.slowest().slowest.ms).toBeGreaterThan(0);
  });

  it('says which messages never arrived when the hub skips some', async () => {
    const url = await hub((socket, data, index) => {
      if (index < 10 || index > 12) socket.send(data, { binary: false });
    });
    const alice = client(url);
    await alice;
    const flood = new Flood({ label: 'test', publisher: alice, receivers: [alice], count: 50, size: 1000, window: 4, transcript: new Transcript() });
    const failure = await flood.publish().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as CheckFailure).message).toBe(
      'alice expected message 11 of the flood (1000 bytes of text starting "test 000011 "), but received message 14: messages 11 to 13 never arrived.',
    );
  });

  it('says when a message comes back changed, or as binary', async () => {
    for (const [forward, said] of [
      [
        (socket: WebSocket, data: Buffer) => socket.send(Buffer.concat([data.subarray(0, 500), Buffer.from('!'), data.subarray(501)]), { binary: false }),
        /received message 1, changed \(1000 bytes\)/,
      ],
      [(socket: WebSocket, data: Buffer) => socket.send(data), /received message 1 as a binary frame/],
    ] as const) {
      const alice = client(await hub(forward));
      await alice;
      const flood = new Flood({ label: 'test', publisher: alice, receivers: [alice], count: 5, size: 1000, window: 2, transcript: new Transcript() });
      await expect(flood.publish()).rejects.toThrow(said);
    }
  });

  it('keeps its laggards out of the pace, and waits on what they receive', async () => {
    const url = await hub((socket, data) => socket.send(data, { binary: false }));
    const [alice, slow] = [client(url, 'alice'), client(url, 'slow')];
    await Promise.all([alice, slow.stopReading()]);
    const flood = new Flood({
      label: 'test',
      publisher: alice,
      receivers: [alice],
      laggards: [slow],
      count: 100,
      size: 8192,
      window: 8,
      transcript: new Transcript(),
    });
    await flood.publish();
    expect(flood.reception(slow).received).toBeLessThan(100);
    expect(await flood.until(slow, (r) => r.received === 100, 5_000, 50)).toBe('quiet');
    await slow.readAgain();
    expect(await flood.until(slow, (r) => r.received === 100, 5_000)).toBe('met');
  });
});

describe('resident memory', () => {
  it("sees a program's memory grow, and keeps the peak", async () => {
    const program = RunningProgram.start(
      {
        kind: 'command',
        command: `node -e "const kept = []; process.stdin.on('data', () => { kept.push(Buffer.alloc(64 * 1024 * 1024, 1)); console.log('grown'); }); console.log('ready')"`,
      },
      { env: {}, cwd: projectRoot },
    );
    try {
      await program.waitForLine((line) => line.text === 'ready', 'ready', { ms: 10_000 });
      const memory = MemoryWatch.start(program.pid)!;
      program.writeLine('grow');
      await program.waitForLine((line) => line.text === 'grown', 'grown', { ms: 10_000 });
      memory.sample();
      expect(memory.growth).toBeGreaterThan(60 * MIB);
      expect(memory.peak).toBeGreaterThan(memory.baseline);
    } finally {
      await program.stop();
    }
  });
});
