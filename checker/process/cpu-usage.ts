import { familyMembers, type GroupMember } from './process-group.ts';

/** /proc counts CPU time in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
const TICK_MS = 10;
/** An idle Node.js server uses next to no CPU; a blocked one uses all it can get. */
const BUSY_SHARE = 0.05;
/**
 * Watching starts this long into a wait: reading /proc for a whole process group costs a few
 * milliseconds, and nearly every wait (a reply on its way) ends well before.
 */
const WATCH_AFTER_MS = 100;

export interface BusyWatch {
  /** Whether the program was busy computing all along; ask when the wait ends in silence. */
  busy(): boolean;
  /** Ends the watch: the wait ended some other way. */
  stop(): void;
}

/**
 * Watches a program's process group during a wait that may end in silence, to tell at its end
 * whether the program was busy computing all along (a blocked event loop): some process of it
 * is running at that moment and it used CPU throughout. Both signs hold however loaded the
 * machine is (a busy loop gets less CPU on a loaded machine, but never next to none). Not busy
 * when /proc is missing, or when the wait was too short to watch.
 */
export function watchBusy(pgid: number): BusyWatch {
  let atStart: { members: GroupMember[] | undefined; at: number } | undefined;
  const timer = setTimeout(() => (atStart = { members: familyMembers(pgid), at: performance.now() }), WATCH_AFTER_MS);
  timer.unref();
  return {
    busy: () => {
      clearTimeout(timer);
      const now = familyMembers(pgid);
      if (!atStart?.members || !now) return false;
      const share = (cpuMs(now) - cpuMs(atStart.members)) / (performance.now() - atStart.at);
      return share >= BUSY_SHARE && now.some((member) => member.state === 'R');
    },
    stop: () => clearTimeout(timer),
  };
}

function cpuMs(members: GroupMember[]): number {
  return members.reduce((sum, member) => sum + member.cpuTicks * TICK_MS, 0);
}
