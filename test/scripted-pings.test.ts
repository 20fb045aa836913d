import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { CheckFailure } from '../checker/core/errors.ts';
import { Transcript } from '../checker/core/transcript.ts';
import { ScriptedClient } from '../checker/peers/scripted-client.ts';
import { eventually } from './processes.ts';

/**
 * The scripted client and the other side's pings: each ping is recorded with its time on the
 * transcript's clock, a client with automatic pongs off answers by hand until told to stop,
 * and a client that vanishes answers nothing, not even a close frame, yet sees its end.
 */
let wss: WebSocketServer;
let url: string;
/** What the server side of each connection saw, by the name the client sends first. */
const seen = new Map<string, { socket: WebSocket; events: string[] }>();

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (socket) => {
    const events: string[] = [];
    socket.on('pong', () => events.push('pong'));
    socket.once('message', (name) => seen.set(name.toString(), { socket, events }));
    socket.on('message', (data) => events.push(`message ${data.toString()}`));
  });
});
afterAll(() => wss.close());

/** A client named `name` that has introduced itself, and the server's side of its connection. */
async function connected(
  name: string,
  autoPong = true,
): Promise<{ client: ScriptedClient; server: { socket: WebSocket; events: string[] }; transcript: Transcript }> {
  const transcript = new Transcript();
  const client = new ScriptedClient({ name, url, transcript, wsOptions: { autoPong } });
  await client.send(name);
  if (!(await eventually(() => seen.has(name), 2_000))) throw new Error(`${name} never arrived`);
  return { client, server: seen.get(name)!, transcript };
}

describe('a scripted client and pings', () => {
  it('records every ping with its time on the transcript clock', async () => {
    const { client, server, transcript } = await connected('alice');
    const before = transcript.now();
    server.socket.ping();
    server.socket.ping();
    await client.expectPings(2);
    expect(client.pings).toHaveLength(2);
    expect(client.pings[0]!).toBeGreaterThanOrEqual(before);
    expect(client.pings[1]!).toBeGreaterThanOrEqual(client.pings[0]!);
    expect(transcript.lines().filter((line) => line.includes('server → alice   ping'))).toHaveLength(2);
    client.terminate();
  });

  it('with autoPong off, answers pings by hand until told to stop', async () => {
    const { client, server } = await connected('bob', false);
    server.socket.ping();
    await client.expectPings(1).send('answered');
    await client.answerPings(false);
    server.socket.ping();
    await client.expectPings(1).send('unanswered');
    await eventually(() => server.events.includes('message unanswered'), 2_000);
    // One connection keeps order: a pong sent before the last message would have arrived before it.
    expect(server.events).toEqual(['message bob', 'pong', 'message answered', 'message unanswered']);
    expect(client.stoppedAnsweringAt).toBeGreaterThan(0);
    client.terminate();
  });

  it('fails clearly when no ping comes', async () => {
    const { client } = await connected('carol');
    const failure = await client.expectPings(1, { ms: 100, explanation: 'ping, please' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CheckFailure);
    expect((failure as CheckFailure).message).toBe('carol expected 1 ping from server within 0.1 s, but 0 arrived.');
    expect((failure as CheckFailure).details.explanation).toBe('ping, please');
    client.terminate();
  });

  it('once vanished, answers no close frame, and still sees the other side end the connection', async () => {
    const { client, server } = await connected('dave');
    await client.vanish();
    server.socket.close(1000, 'are you there?');
    expect(await eventually(() => client.closeFrameReceived !== undefined, 2_000)).toBe(true);
    expect(client.closeFrameReceived).toEqual({ code: 1000, reason: 'are you there?' });
    // The close handshake waits for an answer that never comes: the server's side stays closing.
    expect(await eventually(() => server.socket.readyState === server.socket.CLOSED, 300)).toBe(false);
    server.socket.terminate();
    await client.closure();
    expect(client.closedAt).toBeGreaterThan(client.stoppedAnsweringAt!);
  });
});
