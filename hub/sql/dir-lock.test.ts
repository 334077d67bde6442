import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { acquireDirLock, DirectoryLockedError, lockHolder } from './dir-lock.js';

describe('PGlite data directory lock', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const lockPath = async () => {
    const dir = await tempDir('lock');
    cleanups.push(dir.remove);
    return join(dir.path, 'sql', 'hub.lock');
  };

  it('lets one holder in, refuses a second naming the holder, and frees on release', async () => {
    const path = await lockPath();
    const lock = await acquireDirLock(path);
    expect((await readFile(path, 'utf8')).split('\n')[0]).toBe(`${process.pid}`);
    const second = await acquireDirLock(path).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DirectoryLockedError);
    expect((second as DirectoryLockedError).pid).toBe(process.pid);
    await lock.release();
    expect(await lockHolder(path)).toBeUndefined();
    await (await acquireDirLock(path)).release();
  });

  it('takes over a lock left by a process that no longer exists (a crash)', async () => {
    const path = await lockPath();
    await acquireDirLock(path).then((l) => l.release()); // creates the directory
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(path, `${gone}\n`);
    expect(await lockHolder(path)).toBeUndefined();
    const lock = await acquireDirLock(path);
    expect((await readFile(path, 'utf8')).split('\n')[0]).toBe(`${process.pid}`);
    await lock.release();
  });

  // A container's hub is PID 1 again after kill -9: the lock it left names the pid it has now.
  it('takes over a lock left with our own pid by an earlier run of this pid (restart as the same pid)', async () => {
    const path = await lockPath();
    await acquireDirLock(path).then((l) => l.release());
    for (const left of [`${process.pid}\n`, `${process.pid}\nstart:1:some-earlier-boot\n`]) {
      await writeFile(path, left);
      expect(await lockHolder(path)).toBeUndefined();
      const lock = await acquireDirLock(path);
      expect(await lockHolder(path)).toBe(process.pid);
      await lock.release();
    }
  });

  // A pid is reused: the lock's pid now belongs to some other, live process that is not a hub.
  it.runIf(process.platform === 'linux')('takes over a lock whose pid is alive but started after the lock was written', async () => {
    const path = await lockPath();
    await acquireDirLock(path).then((l) => l.release());
    // PID 1 is alive in any container or host; the start token in the lock is not its own.
    await writeFile(path, `1\nstart:999999999999:not-this-boot\n`);
    expect(await lockHolder(path)).toBeUndefined();
    await (await acquireDirLock(path)).release();
  });
});
