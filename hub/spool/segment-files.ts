/**
 * The spool's files. The log is split into segment files named by the logical offset of their first
 * byte (`00000000000000123456.seg`), so a segment whose every record InfluxDB has confirmed is deleted
 * whole. `checkpoint.json` holds the confirmed offset; it is replaced atomically (write a temporary
 * file, fsync, rename, fsync the directory — POSIX rename(2) is atomic, and the directory fsync makes
 * the new name survive a power cut).
 */
import { constants } from 'node:fs';
import { open, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const SEGMENT_SUFFIX = '.seg';
const CHECKPOINT_FILE = 'checkpoint.json';

export function segmentName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

export function segmentPath(dir: string, baseOffset: number): string {
  return join(dir, segmentName(baseOffset));
}

/**
 * Segments are written with O_DSYNC: each write returns once its data is durable, as write followed
 * by fdatasync would (POSIX synchronized I/O data integrity; Linux syncs the written range). One
 * thread-pool round trip per group commit instead of two, and no wait for the event loop between
 * them — under load that wait was part of every PUBACK.
 */
const SEGMENT_WRITE = constants.O_WRONLY | constants.O_DSYNC;

/** Opens an existing segment for appending (durable writes). */
export function openSegment(dir: string, baseOffset: number): Promise<FileHandle> {
  return open(segmentPath(dir, baseOffset), SEGMENT_WRITE);
}

/**
 * Creates a new, empty segment (owner-only: it holds patient data) and makes its directory entry
 * durable before anything in it can be acknowledged.
 */
export async function createSegment(dir: string, baseOffset: number): Promise<FileHandle> {
  const fh = await open(segmentPath(dir, baseOffset), SEGMENT_WRITE | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await fsyncDir(dir);
  } catch (err) {
    await fh.close();
    throw err;
  }
  return fh;
}

/** Base offsets of the segments in `dir`, ascending. Other files are ignored. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  const bases: number[] = [];
  for (const name of names) {
    const match = /^(\d{20})\.seg$/.exec(name);
    if (match?.[1]) bases.push(Number(match[1]));
  }
  return bases.sort((a, b) => a - b);
}

/** Makes the directory's entries (new, renamed or removed files) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function readCheckpoint(dir: string): Promise<number | undefined> {
  let text: string;
  try {
    const fh = await open(join(dir, CHECKPOINT_FILE), 'r');
    try {
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as { confirmedOffset?: unknown };
  const offset = parsed.confirmedOffset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`spool checkpoint ${join(dir, CHECKPOINT_FILE)} is invalid: confirmedOffset must be a non-negative integer`);
  }
  return offset;
}

export async function writeCheckpoint(dir: string, confirmedOffset: number): Promise<void> {
  const tmp = join(dir, `${CHECKPOINT_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify({ confirmedOffset }), { flush: true });
  await rename(tmp, join(dir, CHECKPOINT_FILE));
  await fsyncDir(dir);
}

export async function removeSegment(dir: string, baseOffset: number): Promise<void> {
  await rm(segmentPath(dir, baseOffset), { force: true });
}
