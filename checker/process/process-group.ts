import { readdirSync, readFileSync } from 'node:fs';

/**
 * A learner's program runs in its own process group (spawned detached), so one signal reaches
 * it and everything it started: a shell, `npm start`, a grandchild it forgot about.
 */

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // -pgid must name a group: 0 or -1 would mean this process's own group, or every process.
  if (!isGroupId(pgid)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Whether any process of the group is still running. Zombies do not count: they hold no port
 * and run no code, and whether they are reaped depends on the machine's init process.
 */
export function groupAlive(pgid: number): boolean {
  if (!groupExists(pgid)) return false;
  const members = livingMembers(pgid);
  return members === undefined || members.length > 0;
}

/**
 * Whether the kernel still knows the group, zombies included. One system call, where
 * groupAlive reads /proc for every process of the machine; when this is false, so is that.
 */
function groupExists(pgid: number): boolean {
  if (!isGroupId(pgid)) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function isGroupId(pgid: number): boolean {
  return Number.isInteger(pgid) && pgid > 1;
}

/** The pids of the group's processes that are not zombies, or undefined without /proc. */
export function livingMembers(pgid: number): number[] | undefined {
  return groupMembers(pgid)
    ?.filter((member) => member.state !== 'Z')
    .map((member) => member.pid);
}

/** PF_EXITING, in the flags of /proc/<pid>/stat: the process has begun to exit. */
const PF_EXITING = 0x4;

/**
 * Whether the group is on its way out: none of it is left, or a process of it is exiting or
 * is a zombie. The kernel marks a process as exiting before it closes its sockets, so when a
 * connection to a crashing program has ended this is already true; the program's exit event
 * may come a moment later. False without /proc.
 */
export function groupExiting(pgid: number): boolean {
  const found = groupMembers(pgid);
  if (found === undefined) return false;
  return found.length === 0 || found.some((member) => member.state === 'Z' || (member.flags & PF_EXITING) !== 0);
}

export interface GroupMember {
  pid: number;
  /** R running, S sleeping, Z zombie… */
  state: string;
  flags: number;
  /** CPU time used so far (user and system), in clock ticks. */
  cpuTicks: number;
}

/** Every process of the group, zombies included, as /proc shows them; undefined without /proc. */
function groupMembers(pgid: number): GroupMember[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const found: GroupMember[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat && stat.pgrp === pgid) found.push({ pid: Number(entry), ...stat });
  }
  return found;
}

/**
 * The group's leader and those of its descendants still in the group, found through each
 * thread's list of children in /proc: a few reads, where groupMembers reads the state of every
 * process on the machine (hundreds on a busy one, each read holding up the checker's event
 * loop). A process that left the family (reparented when its parent exited) is missed, so this
 * is for looks that may miss one (how busy the program is, which ports it listens on), not for
 * the cleanup. Without the children lists (an older kernel), every member, as groupMembers.
 */
export function familyMembers(pgid: number): GroupMember[] | undefined {
  const found: GroupMember[] = [];
  const queue = [pgid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const stat = readStat(String(pid));
    if (!stat || stat.pgrp !== pgid) continue;
    found.push({ pid, ...stat });
    const children = childrenOf(pid);
    if (children === undefined) return groupMembers(pgid);
    queue.push(...children);
  }
  return found;
}

/** The children of every thread of process `pid`; undefined when /proc does not list them. */
function childrenOf(pid: number): number[] | undefined {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // It has just exited.
  }
  const children: number[] = [];
  for (const thread of threads) {
    try {
      children.push(...readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && thread === String(pid)) return undefined;
    }
  }
  return children;
}

function readStat(pid: string): (Omit<GroupMember, 'pid'> & { pgrp: number }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), flags: Number(fields[6]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/**
 * SIGTERM to the whole group, then SIGKILL if anything is left after the grace period.
 * Resolves once no process of the group is running.
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupExists(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  if (await waitUntilGone(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitUntilGone(pgid, 2_000);
}

/**
 * Polls until no process of the group runs, for up to `ms`; true when none is left. A group
 * that is gone is seen with one system call; /proc is read only once the group has been slow
 * to go (a few of its zombies may stay).
 */
export async function waitUntilGone(pgid: number, ms: number): Promise<boolean> {
  const startedAt = performance.now();
  let pause = 2;
  while (groupExists(pgid)) {
    const waited = performance.now() - startedAt;
    if (waited > ZOMBIE_LOOK_AFTER_MS && !groupAlive(pgid)) return true;
    if (waited > ms) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 20);
  }
  return true;
}

/** A program stopped by a signal is usually gone within this; only then are zombies looked for. */
const ZOMBIE_LOOK_AFTER_MS = 50;
