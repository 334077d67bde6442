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
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
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
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });
});
