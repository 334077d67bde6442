/**
 * One process at a time per PGlite data directory. PGlite is PostgreSQL compiled to WebAssembly
 * running inside this process: it has no postmaster, so nothing stops a second process from opening
 * the same files and corrupting them. A pid file created with O_EXCL does; a lock left by a
 * crashed process is taken over.
 *
 * "Crashed" is decided by more than "is the pid alive": in a container the hub is PID 1 again after
 * kill -9, so the lock it left names the pid it has now, and elsewhere a pid is reused by some other
 * program. The lock therefore holds the pid and a start token (the process's start time from
 * /proc/<pid>/stat and the kernel's boot id, on Linux). A lock names a live holder only when that
 * pid is alive and its start token still matches; a lock with our own pid is ours only while this
 * process holds it (the in-memory set below), never because the number matches.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export class DirectoryLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(`the PGlite data directory is in use by process ${pid} (lock ${lockFile})`);
    this.name = 'DirectoryLockedError';
  }
}

export interface DirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds now: a lock naming our pid that is not in here was left by an earlier run. */
const heldHere = new Set<string>();

/**
 * What identifies one run of a process: its start time in clock ticks since boot (field 22 of
 * /proc/<pid>/stat) and the boot id. Undefined where /proc is not there (then only the pid is compared).
 */
export function startToken(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[19]; // field 22 overall; fields[0] is field 3
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return startTime ? `start:${startTime}:${bootId}` : undefined;
  } catch {
    return undefined;
  }
}

/** The pid holding the lock, or undefined when nobody (alive) does. */
export async function lockHolder(lockFile: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const [pidLine = '', token] = text.split('\n');
  const pid = Number.parseInt(pidLine.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return heldHere.has(lockFile) ? pid : undefined;
  if (!alive(pid)) return undefined;
  // A lock without a token (an older hub, or no /proc) is trusted on the pid alone, as before.
  if (!token) return pid;
  const now = startToken(pid);
  return now === undefined || now === token ? pid : undefined;
}

export async function acquireDirLock(lockFile: string): Promise<DirLock> {
  // 0700: the directory also holds the admin socket, which only the hub's own user may reach.
  await mkdir(dirname(lockFile), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockFile, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n${startToken(process.pid) ?? ''}\n`);
      await fh.close();
      heldHere.add(lockFile);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          heldHere.delete(lockFile);
          await unlink(lockFile).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(lockFile);
    if (holder !== undefined) throw new DirectoryLockedError(lockFile, holder);
    // Stale: its run is over. Remove and try again (another starter may win the race; then we fail above).
    // Two starters that both judge the same stale lock at the same instant remain a narrow window: the
    // later unlink can remove the earlier one's fresh lock. Hubs are started one at a time by a supervisor.
    await unlink(lockFile).catch(() => undefined);
  }
  throw new Error(`could not take the lock ${lockFile}`);
}

/**
 * Takes the lock (when a lock file is given), then opens what it guards; if opening fails, the lock
 * is released again and the error passes on. Both PGlite openers (in-process and worker) use it.
 */
export async function openUnderLock<T>(lockFile: string | undefined, open: (lock: DirLock | undefined) => Promise<T>): Promise<T> {
  const lock = lockFile ? await acquireDirLock(lockFile) : undefined;
  try {
    return await open(lock);
  } catch (err) {
    await lock?.release();
    throw err;
  }
}
