import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { livingMembers } from './process-group.ts';

/**
 * The TCP ports a program's process group is listening on, read from /proc (Linux). Lets a
 * failure say "your program listens on 8765" instead of guessing. Empty where /proc is missing.
 */
export function listeningPorts(pgid: number): number[] {
  return portsListenedOnBy(livingMembers(pgid) ?? []);
}

/**
 * The ports the processes `pids` listen on. Reading a socket table costs milliseconds (the
 * kernel walks every socket of the machine), so with `wanted` the second table is read only
 * when the first does not show that port.
 */
function portsListenedOnBy(pids: number[], wanted?: number): number[] {
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
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  if (inodes.size === 0) return [];
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (wanted !== undefined && ports.has(wanted)) break;
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      const [localAddress, , state] = [fields[1], fields[2], fields[3]];
      const inode = fields[9];
      // State 0A is LISTEN.
      if (state !== '0A' || !localAddress || !inode || !inodes.has(inode)) continue;
      ports.add(parseInt(localAddress.split(':')[1] ?? '0', 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Whether the program's process group listens on `port`; undefined where /proc is missing. */
export function listensOn(pgid: number, port: number): boolean | undefined {
  const pids = livingMembers(pgid);
  return pids === undefined ? undefined : portsListenedOnBy(pids, port).includes(port);
}
