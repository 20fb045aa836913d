import net from 'node:net';

/**
 * Ports for learners' programs. They come from below the kernel's ephemeral range (which
 * starts at 32768 on Linux), so no outgoing connection of the checker can be using one, and a
 * connection can never reach itself. Each is checked to be free on 127.0.0.1 and on ::1.
 */
const LOW = 20_000;
const HIGH = 32_000;
const handedOut = new Set<number>();

export async function allocatePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    if ((await canBind(port, '127.0.0.1')) && (await canBind(port, '::1', true))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('Could not find a free port on loopback.');
}

/** Whether some program (on 127.0.0.1 or ::1) holds the port now. */
export async function portTaken(port: number): Promise<boolean> {
  return !((await canBind(port, '127.0.0.1')) && (await canBind(port, '::1', true)));
}

/** Lets a port be handed out again once the program using it has stopped. */
export function releasePort(port: number): void {
  handedOut.delete(port);
}

function canBind(port: number, host: string, missingFamilyIsFine = false): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(missingFamilyIsFine && error.code === 'EADDRNOTAVAIL');
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
