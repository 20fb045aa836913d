import { groupMembers, type GroupMember } from './process-group.ts';

/** /proc counts CPU time in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
const TICK_MS = 10;
/** An idle Node.js server uses next to no CPU; a blocked one uses all it can get. */
const BUSY_SHARE = 0.05;

/**
 * Starts watching a program's process group, for a wait that may end in silence. The returned
 * function tells, at the end of the wait, whether the program was busy computing all along
 * (a blocked event loop): some process of it is running at that moment and it used CPU
 * throughout. Both signs hold however loaded the machine is (a busy loop gets less CPU on a
 * loaded machine, but never next to none). False when /proc is missing.
 */
export function watchBusy(pgid: number): () => boolean {
  const atStart = groupMembers(pgid);
  const startedAt = performance.now();
  return () => {
    const now = groupMembers(pgid);
    if (!atStart || !now) return false;
    const share = (cpuMs(now) - cpuMs(atStart)) / (performance.now() - startedAt);
    return share >= BUSY_SHARE && now.some((member) => member.state === 'R');
  };
}

function cpuMs(members: GroupMember[]): number {
  return members.reduce((sum, member) => sum + member.cpuTicks * TICK_MS, 0);
}
