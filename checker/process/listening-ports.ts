import { closeSync, openSync, readSync } from 'node:fs';
import { familyMembers, livingMembers } from './process-group.ts';
import { socketInodes } from './tcp-connections.ts';

/**
 * The TCP ports a program's process group is listening on, read from /proc (Linux). Lets a
 * failure say "your program listens on 8765" instead of guessing. Empty where /proc is missing.
 */
export function listeningPorts(pgid: number): number[] {
  return portsListenedOnBy(livingFamily(pgid) ?? []);
}

/** The group's leader and its descendants that are not zombies (familyMembers: a cheap look). */
function livingFamily(pgid: number): number[] | undefined {
  return familyMembers(pgid)
    ?.filter((member) => member.state !== 'Z')
    .map((member) => member.pid);
}

/**
 * The ports the processes `pids` listen on: the listening sockets (from the socket tables)
 * that are among the processes' open files.
 */
function portsListenedOnBy(pids: number[], wanted?: number): number[] {
  const inodes = socketInodes(pids);
  if (inodes.size === 0) return [];
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (wanted !== undefined && ports.has(wanted)) break;
    for (const [inode, port] of listeningSockets(table)) if (inodes.has(inode)) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

const CHUNK_BYTES = 16 * 1024;
/** The state column of a listening socket. */
const LISTEN = '0A';

/**
 * The listening sockets of a socket table (inode to port). The kernel writes the table as it is
 * read, listening sockets first, then every other socket (thousands of closed connections
 * waiting out TIME_WAIT after a busy check): reading stops at the first row that is not
 * listening, so a look costs a fraction of a millisecond instead of several.
 */
function listeningSockets(table: string): Map<string, number> {
  const found = new Map<string, number>();
  let fd: number;
  try {
    fd = openSync(table, 'r');
  } catch {
    return found;
  }
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let pending = '';
    let header = true;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) return found;
      const rows = (pending + buffer.toString('latin1', 0, read)).split('\n');
      pending = rows.pop() ?? '';
      for (const row of rows) {
        if (header) {
          header = false;
          continue;
        }
        const fields = row.trim().split(/\s+/);
        const [localAddress, state, inode] = [fields[1], fields[3], fields[9]];
        if (state !== LISTEN) return found;
        if (localAddress && inode) found.set(inode, parseInt(localAddress.split(':')[1] ?? '0', 16));
      }
    }
  } catch {
    return found;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the program's process group listens on `port`; undefined where /proc is missing.
 * The cheap look at its family first; only a "no" is worth the look at every process (a
 * process of the group that left the family may be the one listening).
 */
export function listensOn(pgid: number, port: number): boolean | undefined {
  const family = livingFamily(pgid);
  if (family === undefined) return undefined;
  if (portsListenedOnBy(family, port).includes(port)) return true;
  const pids = livingMembers(pgid);
  return pids === undefined ? undefined : portsListenedOnBy(pids, port).includes(port);
}
