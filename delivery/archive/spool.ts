import { readFileSync, rmSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private temporary folder for compressed tables (a tar header needs an entry's size
 * before its bytes, and a table's compressed size is known only after compressing it).
 * `remove()` deletes it; it is also deleted if the process exits before that. A process
 * killed outright (SIGKILL, the OOM killer, a power cut) cannot remove its own, so
 * each spool's name records its owner, and the next delivery (or `cleanup`) on the machine
 * removes the spools of owners that are provably gone (removeDeadSpools).
 */
export interface Spool {
  readonly directory: string;
  /** A fresh file path inside the spool, named by sequence (never by a table name). */
  nextPath(suffix: string): string;
  remove(): Promise<void>;
}

/** Every spool's name starts with this, then `<pid>-<start>-` and six random characters. */
export const SPOOL_PREFIX = 'ion-dest-spool-';
const SPOOL_NAME = /^ion-dest-spool-([1-9][0-9]*)-([0-9a-f]{8}\.[0-9]+|unknown)-[A-Za-z0-9]{6}$/;

/**
 * When a process started, as a token that tells a process from a later one with the same
 * PID: on Linux the boot (`/proc/sys/kernel/random/boot_id`) and the start time in clock
 * ticks since boot (field 22 of `/proc/<pid>/stat`); undefined where /proc is not there or
 * the process is gone.
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
export function processStartToken(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ')'; fields after the last ')' start at 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[22 - 3];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').replace(/-/g, '').slice(0, 8);
    return start && /^[0-9]+$/.test(start) && /^[0-9a-f]{8}$/.test(boot) ? `${boot}.${start}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that made a spool is provably gone: no process has its PID, or
 * (where /proc tells) the process with that PID started at another time (the PID was
 * reused). A process of another user answers EPERM: it exists, so it counts as alive.
 */
export function ownerIsGone(pid: number, startToken: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  if (startToken === 'unknown') return false;
  const now = processStartToken(pid);
  return now !== undefined && now !== startToken;
}

/** Create a spool under the system temporary folder (TMPDIR). */
export async function createSpool(parent: string = tmpdir()): Promise<Spool> {
  const directory = await mkdtemp(join(parent, `${SPOOL_PREFIX}${process.pid}-${processStartToken(process.pid) ?? 'unknown'}-`));
  let counter = 0;
  const removeOnExit = () => rmSync(directory, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  return {
    directory,
    nextPath(suffix) {
      counter += 1;
      return join(directory, `${String(counter).padStart(6, '0')}${suffix}`);
    },
    async remove() {
      process.removeListener('exit', removeOnExit);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Remove the spools under `parent` (default TMPDIR) whose owning process is provably gone
 * (ownerIsGone), and return their paths. Only this user's own folders named as createSpool
 * names them are considered; a live process's spool, a folder of another user, a symbolic
 * link or anything else is never touched. A spool from a version that did not record its
 * owner cannot be judged and is left alone too.
 */
export async function removeDeadSpools(parent: string = tmpdir(), options: { dryRun?: boolean } = {}): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = SPOOL_NAME.exec(name);
    if (!m) continue;
    const path = join(parent, name);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats?.isDirectory() || (process.getuid && stats.uid !== process.getuid())) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !ownerIsGone(pid, m[2] as string)) continue;
    if (!options.dryRun) await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

