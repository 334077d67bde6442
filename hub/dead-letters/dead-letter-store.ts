/**
 * Refused input is kept, not thrown away: an admin can list it, see why it was refused, and fix the
 * gateway that sent it. Stored durably (fsync) before the publish is acknowledged.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface DeadLetter {
  readonly at: string;
  readonly gatewayId: string;
  readonly topic: string;
  /** Stable, countable reason class, e.g. invalid_json, invalid_envelope, invalid_reading. */
  readonly reasonCode: string;
  /** One line naming the offending field. */
  readonly reason: string;
  /** The refused payload or reading (truncated to 64 KiB), for inspection by an admin; never logged. */
  readonly payload: string;
}

export interface DeadLetterStore {
  add(letters: readonly DeadLetter[]): Promise<void>;
  list(limit: number): Promise<DeadLetter[]>;
}

export const MAX_DEAD_LETTER_PAYLOAD = 64 * 1024;

export function truncatePayload(payload: string): string {
  return payload.length > MAX_DEAD_LETTER_PAYLOAD ? `${payload.slice(0, MAX_DEAD_LETTER_PAYLOAD)}…[truncated]` : payload;
}

/** JSON lines in a file; appends are serialised and fsynced. */
export class FileDeadLetterStore implements DeadLetterStore {
  private fh: FileHandle | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  add(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return Promise.resolve();
    const body = letters.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const next = this.chain.then(async () => {
      if (!this.fh) {
        await mkdir(dirname(this.path), { recursive: true });
        this.fh = await open(this.path, 'a');
      }
      await this.fh.write(body);
      await this.fh.datasync();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async list(limit: number): Promise<DeadLetter[]> {
    await this.chain;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const letters: DeadLetter[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        letters.push(JSON.parse(line) as DeadLetter);
      } catch {
        // torn tail after a crash: skip
      }
    }
    return letters.slice(-limit).reverse();
  }

  async close(): Promise<void> {
    await this.chain;
    await this.fh?.close();
    this.fh = undefined;
  }
}
