import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The kernel's view of one end of a TCP connection, from its socket tables (/proc/net/tcp and
 * tcp6, Linux): what a program cannot see from inside, such as how much of what it wrote is
 * still waiting in the kernel because the other end does not read.
 */
interface TcpSocket {
  /** ESTABLISHED while both programs hold the connection; FIN_WAIT1 once this end's program has closed it, and so on. */
  state: string;
  /** Bytes this end's program has written that the other end has not acknowledged yet (sent or still waiting to be sent). */
  sendQueue: number;
  /** Bytes that have arrived and this end's program has not read yet. */
  receiveQueue: number;
  /** The socket's inode, as a process holding it lists it among its open files (socketInodes); "0" once no process does. */
  inode: string;
}

/** Both ends of a loopback connection, as the tables show them (an end not listed has gone). */
export interface LoopbackConnection {
  client: TcpSocket | undefined;
  server: TcpSocket | undefined;
}

/** The states of the tables' `st` column (include/net/tcp_states.h). */
const STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'];

/**
 * Both ends of the connection between a client's port and a server's port on this machine;
 * undefined without /proc. Both tables are read: a server bound to `::` holds its end of an
 * IPv4 connection as an IPv6 socket. Ports are enough to tell the connection apart on loopback.
 * A look reads the whole tables (milliseconds when thousands of closed connections linger), so
 * checks take one now and then, not one per message; looks in one turn of the event loop share
 * one reading.
 */
export function loopbackConnection(clientPort: number, serverPort: number): LoopbackConnection | undefined {
  const rows = socketTableRows();
  if (!rows) return undefined;
  const found: LoopbackConnection = { client: undefined, server: undefined };
  // Rows write ports as four hex digits after a colon; only rows with both are worth splitting.
  const [clientHex, serverHex] = [clientPort, serverPort].map((port) => `:${port.toString(16).toUpperCase().padStart(4, '0')} `) as [string, string];
  for (const row of rows) {
    if (!row.includes(clientHex) || !row.includes(serverHex)) continue;
    const [, local, remote, state, queues, , , , , inode] = row.trim().split(/\s+/);
    if (!local || !remote || !state || !queues || !inode) continue;
    const [localPort, remotePort] = [portOf(local), portOf(remote)];
    const end = localPort === clientPort && remotePort === serverPort ? 'client' : localPort === serverPort && remotePort === clientPort ? 'server' : undefined;
    if (!end) continue;
    const [sendQueue, receiveQueue] = queues.split(':').map((hex) => parseInt(hex, 16)) as [number, number];
    // An earlier connection between the same ports may linger in TIME_WAIT; the live one wins.
    if (!found[end] || found[end].state === 'TIME_WAIT') found[end] = { state: STATES[parseInt(state, 16)] ?? state, sendQueue, receiveQueue, inode };
  }
  return found;
}

/** The rows of both tables as read in this turn of the event loop; undefined without /proc. */
let rowsThisTurn: string[] | undefined;

function socketTableRows(): string[] | undefined {
  if (rowsThisTurn) return rowsThisTurn;
  const rows: string[] = [];
  let readAny = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      rows.push(...readFileSync(table, 'latin1').split('\n').slice(1));
      readAny = true;
    } catch {
      // This table is missing (no IPv6, say); the other may be there.
    }
  }
  if (!readAny) return undefined;
  rowsThisTurn = rows;
  queueMicrotask(() => {
    rowsThisTurn = undefined;
  });
  return rows;
}

/** The port of an address as the tables write it: hex address, colon, hex port. */
function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}

/**
 * The inodes of the sockets the processes `pids` have open: a look at each one's open files,
 * far cheaper than at the socket tables when a program has a few dozen of them.
 */
export function socketInodes(pids: number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return inodes;
}
