/**
 * One process at a time per PGlite data directory. PGlite is PostgreSQL compiled to WebAssembly
 * running inside this process: it has no postmaster, so nothing stops a second process from opening
 * the same files and corrupting them. A pid file created with O_EXCL does; a lock left by a
 * crashed process (its pid no longer exists) is taken over.
 */
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

/** The pid holding the lock, or undefined when nobody (alive) does. */
export async function lockHolder(lockFile: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

export async function acquireDirLock(lockFile: string): Promise<DirLock> {
  // 0700: the directory also holds the admin socket, which only the hub's own user may reach.
  await mkdir(dirname(lockFile), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockFile, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await unlink(lockFile).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(lockFile);
    if (holder !== undefined) throw new DirectoryLockedError(lockFile, holder);
    // Stale: its process is gone. Remove and try again (another starter may win the race; then we fail above).
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
