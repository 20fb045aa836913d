import { readFileSync } from 'node:fs';
import { livingMembers } from './process-group.ts';

/**
 * The resident memory of a learner's program while a check loads it: the RAM its processes
 * hold (VmRSS), summed over its process group, read from /proc (Linux). The check takes a
 * baseline, then samples as often as it likes (each look reads one small file per process),
 * and the watch keeps the peak.
 */
export class MemoryWatch {
  /** Bytes resident when the watch started. */
  readonly baseline: number;
  /** The most seen so far, in bytes. */
  peak: number;

  private constructor(private readonly pids: number[]) {
    this.baseline = this.read();
    this.peak = this.baseline;
  }

  /**
   * Starts watching the group's processes (those running now: a server does not start new ones
   * under load); undefined where /proc is missing.
   */
  static start(pgid: number): MemoryWatch | undefined {
    const pids = livingMembers(pgid);
    return pids === undefined || pids.length === 0 ? undefined : new MemoryWatch(pids);
  }

  /** The group's resident memory now, in bytes; also kept as the peak when it is one. */
  sample(): number {
    const now = this.read();
    this.peak = Math.max(this.peak, now);
    return now;
  }

  private read(): number {
    return this.pids.reduce((sum, pid) => sum + residentBytes(pid), 0);
  }

  /** How far the peak has risen above the baseline, in bytes. */
  get growth(): number {
    return this.peak - this.baseline;
  }
}

/** VmRSS of one process in bytes; 0 for a process that has gone (or a zombie, which has no such line). */
function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
