import net from 'node:net';

/**
 * How a run of a learner's suite learns its server's address. Vitest starts while the servers
 * are still starting, and each run, as it begins, asks the checker for its server's address
 * over a loopback connection; the checker answers once that server accepts connections (or
 * says why it never will). So runs begin as soon as their own server is up, not once every
 * server is. Both sides are here: the checker's (serveAddresses) and the run's (serverAddress,
 * called by each run's entry file inside vitest). Nothing here imports the rest of the checker.
 */
export const HANDOFF_VARIABLE = 'WORKBOOK_SUITE_HANDOFF';

export interface AddressDesk {
  port: number;
  close(): Promise<void>;
}

/**
 * The checker's side: answers each run's request with `address(run)`, or with the message of
 * its failure, and calls `answered(run)` once it has.
 */
export async function serveAddresses(address: (run: string) => Promise<string>, answered: (run: string) => void): Promise<AddressDesk> {
  const server = net.createServer((socket) => {
    let request = '';
    socket.setEncoding('utf8');
    // The run's vitest may be stopped at any moment; its connection ending is no error here.
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      request += chunk;
      if (!request.endsWith('\n')) return;
      const run = request.trim();
      address(run)
        .then(
          (url) => socket.end(`ok ${url}`),
          (error: unknown) => socket.end(`no ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => answered(run));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A run's side: the address of its server, given to the suite as WS_URL.
 * @public Called by the entry files run-suite.ts writes, which vitest runs.
 */
export function serverAddress(run: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(process.env[HANDOFF_VARIABLE]), '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () =>
      reply.startsWith('ok ') ? resolve(reply.slice(3)) : reject(new Error(reply.slice(3) || 'The checker did not say where the server is.')),
    );
    socket.on('error', reject);
    socket.write(`${run}\n`);
  });
}
