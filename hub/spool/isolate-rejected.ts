/**
 * When InfluxDB refuses a batch because of its points (400), find the guilty ones by bisection: send
 * each half, and halve again whichever half is refused, down to single points. k bad points among n
 * cost about 2·k·log2(n) writes. Re-sending the good points InfluxDB may already have kept from a
 * partial write is harmless: the same reading is the same point. A 413 (body too large) splits too.
 * Any other failure (InfluxDB down mid-way) is thrown: the caller retries the whole batch later.
 */
import { classifyWriteError, reasonWithoutPoint, type WriteFailure } from './write-errors.js';

export interface RejectedPoint {
  readonly line: string;
  readonly reason: string;
  readonly status: number | undefined;
}

export type WriteLines = (body: string) => Promise<void>;

/** Writes `lines`, returning the points InfluxDB refuses on their own. */
export async function writeIsolatingRejected(
  lines: readonly string[],
  write: WriteLines,
  onFailure: (failure: WriteFailure) => void = () => undefined,
): Promise<RejectedPoint[]> {
  const rejected: RejectedPoint[] = [];
  const attempt = async (part: readonly string[]): Promise<void> => {
    if (part.length === 0) return;
    try {
      await write(part.join('\n'));
      return;
    } catch (err) {
      const failure = classifyWriteError(err);
      onFailure(failure);
      if (failure.action === 'retry') throw err;
      if (part.length === 1) {
        rejected.push({ line: part[0]!, reason: reasonWithoutPoint((err as Error).message), status: failure.status });
        return;
      }
    }
    const mid = part.length >>> 1;
    await attempt(part.slice(0, mid));
    await attempt(part.slice(mid));
  };
  await attempt(lines);
  return rejected;
}
