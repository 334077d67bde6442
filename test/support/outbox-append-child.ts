/**
 * A child process for the outbox crash test: appends readings as fast as it can (several appends in
 * flight, so group commit is exercised) and records, synchronously in a log file that survives SIGKILL
 * (the kernel keeps written pages), the id of each reading once its append resolved (`stored <id>`),
 * and `acking <id>` before it acknowledges one (from then on the entry may legitimately be gone).
 * The parent kills it with SIGKILL mid-stream and checks every stored, unacknowledged id survived.
 */
import { openSync, writeSync } from 'node:fs';
import { FileOutbox } from '../../gateway/outbox/outbox.js';
import { testReading } from './readings.js';

const [dir, logPath] = process.argv.slice(2);
if (!dir || !logPath) throw new Error('usage: outbox-append-child.ts <outbox dir> <log file>');
const log = openSync(logPath, 'a');
const outbox = await FileOutbox.open({ dir, compactAfter: 200 });
let n = 0;
async function writer(lane: number): Promise<void> {
  for (;;) {
    const batch = [testReading(`c${lane}-${n++}`), testReading(`c${lane}-${n++}`)];
    await outbox.append(batch);
    writeSync(log, batch.map((r) => `stored ${r.id}\n`).join(''));
    // Acknowledge some of what was written so compaction runs while appends are in flight.
    const head = outbox.peek(1)[0];
    if (head && n % 7 === 0) {
      writeSync(log, `acking ${head.reading.id}\n`);
      await outbox.ack([head.seq]);
    }
  }
}
await Promise.all([writer(1), writer(2), writer(3), writer(4)]);
