// Where the machine's CPU goes during a bench phase, from /proc (Linux): how busy the whole machine
// was, and the CPU time of each part (Hookwise's processes, PostgreSQL, Redis). With everything on
// one machine, a latency figure means little without knowing whether the cores were saturated.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: the unit of /proc/<pid>/stat and /proc/stat on Linux

/** CPU seconds (user + system) each process has used so far; a process that is gone is left out. */
function cpuSeconds(pids) {
  const seconds = new Map();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {}
  }
  return seconds;
}

/** Pids of the processes whose command name is `name` (postgres, redis-server). */
function processesNamed(name) {
  const pids = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name) pids.push(pid);
    } catch {}
  }
  return pids;
}

/** `pid` and every process below it (a node:cluster tier: its primary and the processes it forked). */
export function processTree(pid) {
  const pids = [String(pid)];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
        pids.push(...readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
      }
    } catch {}
  }
  return pids;
}

/**
 * CPU seconds of this process's children that have exited and been waited for (cutime + cstime),
 * such as wrk run through execFileSync: read before and after, the difference is what wrk used.
 */
export function reapedChildrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

/** Busy and total time of all cores so far, from the first line of /proc/stat. */
function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
  return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/**
 * Starts measuring. `parts` maps a name to a function returning that part's pids (called at start
 * and at the end, so processes started in between are counted from 0). Returns `stop(events,
 * extra)`, which gives the machine's busy share in % and each part's CPU µs per event; `extra`
 * adds parts measured elsewhere (CPU seconds), such as a load generator that reports its own.
 */
export function startCpuAccounting(parts) {
  const all = { ...parts, postgres: () => processesNamed('postgres'), redis: () => processesNamed('redis-server') };
  const before = Object.fromEntries(Object.entries(all).map(([name, pids]) => [name, cpuSeconds(pids())]));
  const machineBefore = machineTicks();
  return (events, extra = {}) => {
    const machineAfter = machineTicks();
    const perEventUs = {};
    for (const [name, pids] of Object.entries(all)) {
      // A process that ended during the phase is not counted (its last reading is lost with it).
      let used = 0;
      for (const [pid, seconds] of cpuSeconds(pids())) used += seconds - (before[name].get(pid) ?? 0);
      if (used > 0) perEventUs[name] = Math.round((used * 1e6) / events);
    }
    for (const [name, seconds] of Object.entries(extra)) perEventUs[name] = Math.round((seconds * 1e6) / events);
    const busy = machineAfter.busy - machineBefore.busy;
    const total = machineAfter.total - machineBefore.total;
    return { machineBusyPercent: total > 0 ? Math.round((100 * busy) / total) : null, perEventUs };
  };
}
