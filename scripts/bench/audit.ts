/**
 * Audit trail benchmark (`npm run bench:audit`): what the durable journal costs a reader. C
 * concurrent "requests" each commit one audit entry (as a read does) and wait for it, for S seconds,
 * against the SQL audit log on an on-disk PGlite: first without a journal (commit waits for the SQL
 * batch), then with the journal (commit waits for the O_DSYNC journal write; SQL is written behind).
 * Prints commits/s and commit latency p50/p95/p99, group-commit sizes, and the journal's backlog at
 * the end. Then the same with 200-entry commits (a worklist request), without and with the journal.
 *
 * Knobs (environment): BENCH_AUDIT_CONCURRENCY (16), BENCH_AUDIT_SECONDS (5).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../hub/audit/audit-entry.js';
import { AuditJournal } from '../../hub/audit/audit-journal.js';
import { AuditTrail, newAuditId } from '../../hub/audit/audit-trail.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';
import { exitOnHelp } from '../lib/cli-help.js';

exitOnHelp('npm run bench:audit: audit commit latency and throughput on PGlite, without and with the durable journal. Prints figures.');

const CONCURRENCY = Number(process.env.BENCH_AUDIT_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 5);
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function entries(n: number, request: number): AuditEntry[] {
  const at = new Date();
  return Array.from({ length: n }, (_, i) => ({
    id: newAuditId(at.getTime()),
    at: at.toISOString(),
    userId: 'u-bench',
    role: 'clinician',
    action: 'readings.read',
    route: 'GET /api/v1/patients/:patientId/readings',
    patientId: `p-${(request * 7 + i) % 1000}`,
    address: '127.0.0.1',
    outcome: 'allowed',
    status: 200,
    requestId: `req-${request}-${i}`,
  }));
}

async function run(name: string, trail: AuditTrail, perRequest: number): Promise<void> {
  const latencies: number[] = [];
  let request = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await trail.commit(entries(perRequest, request++));
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const backlog = trail.journalBacklog.entries;
  console.log(`\n${name}`);
  console.log(
    `  ${latencies.length} commits of ${perRequest} in ${SECONDS} s: ${fmt(latencies.length / SECONDS)} commits/s (${fmt((latencies.length * perRequest) / SECONDS, 0)} entries/s); commit p50 ${fmt(pct(latencies, 50), 2)} ms, p95 ${fmt(pct(latencies, 95), 2)} ms, p99 ${fmt(pct(latencies, 99), 2)} ms`,
  );
  const closing = performance.now();
  await trail.close();
  console.log(`  journal backlog at the end ${backlog} entries; close (draining it to SQL) ${fmt(performance.now() - closing, 0)} ms; entries in SQL: ${trail.stats.written}`);
}

async function main(): Promise<void> {
  console.log(`audit benchmark: ${CONCURRENCY} concurrent requests, ${SECONDS} s per run, PGlite on disk`);
  const dir = await mkdtemp(join(tmpdir(), 'rpm-bench-audit-'));
  try {
    for (const [name, journalled, perRequest] of [
      ['without journal: commit waits for the SQL batch', false, 1],
      ['with journal: commit waits for the O_DSYNC journal write, SQL behind', true, 1],
      ['without journal, 200-entry commits (a worklist request)', false, 200],
      ['with journal, 200-entry commits (a worklist request)', true, 200],
    ] as const) {
      const db = await PgliteDb.open({ dataDir: join(dir, `sql-${name.length}-${perRequest}`) });
      await migrate(db);
      const journal = journalled ? await AuditJournal.open(join(dir, `journal-${perRequest}`)) : undefined;
      await run(name, new AuditTrail(new SqlAuditStore(db), { flushEveryMs: 2, ...(journal && { journal }) }), perRequest);
      await db.close();
    }
    console.log('\nmachine: 2 cores shared with other work');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
