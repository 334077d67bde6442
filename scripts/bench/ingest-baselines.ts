/**
 * Pieces of the ingest benchmark: forked publisher processes, and the raw baselines the hub is
 * compared with — Aedes alone (QoS 1, publish -> subscriber, no hub logic) and InfluxDB alone
 * (/write in 5,000-point batches).
 */
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import type { PublisherJob, PublisherResult } from './ingest-publisher.js';

const PUBLISHER = fileURLToPath(new URL('./ingest-publisher.ts', import.meta.url));
const AEDES_ENTRY = fileURLToPath(new URL('./ingest-aedes-entry.ts', import.meta.url));

export interface MergedResult {
  readonly acked: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly latencies: Float64Array;
  /** CPU time of all publisher processes, ms. */
  readonly cpuMs: number;
}

/** Runs the jobs in one forked process each: all load their payloads first, then start together. */
export async function runPublishers(jobs: readonly PublisherJob[]): Promise<MergedResult> {
  const children = jobs.map((job) => {
    const child = fork(PUBLISHER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
    const loaded = new Promise<void>((resolve) => child.once('message', () => resolve()));
    child.send({ type: 'load', ...job });
    return { child, loaded };
  });
  await Promise.all(children.map((c) => c.loaded));
  const results = await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<PublisherResult>((resolve, reject) => {
          child.once('message', (m: PublisherResult) => resolve(m));
          child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`publisher exited with ${code}`))));
          child.send({ type: 'go' });
        }),
    ),
  );
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of results) {
    latencies.set(r.latencies, at);
    at += r.latencies.length;
  }
  return {
    acked: results.reduce((n, r) => n + r.acked, 0),
    startedAt: Math.min(...results.map((r) => r.startedAt)),
    endedAt: Math.max(...results.map((r) => r.endedAt)),
    latencies: latencies.sort(),
    cpuMs: results.reduce((n, r) => n + r.cpuMs, 0),
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Aedes alone: one publisher process, one subscriber here, QoS 1 both ways; messages/s delivered. */
export async function aedesAlone(job: Omit<PublisherJob, 'url' | 'topic'>): Promise<{ messagesPerSecond: number; messages: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', AEDES_ENTRY], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /AEDES_READY (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare Aedes exited with ${code}`)));
  });
  const url = `mqtt://127.0.0.1:${port}`;
  const total = job.gateways.length * job.messagesPerGateway;
  const subscriber = await mqtt.connectAsync(url, { clientId: 'bench-subscriber', protocolVersion: 4, reconnectPeriod: 0 });
  (subscriber.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  await subscriber.subscribeAsync('bench/#', { qos: 1 });
  let received = 0;
  let lastAt = 0;
  const all = new Promise<void>((resolve) => {
    subscriber.on('message', () => {
      lastAt = Date.now();
      if (++received === total) resolve();
    });
  });
  const published = await runPublishers([{ ...job, url, topic: 'bench/readings' }]);
  await all;
  await subscriber.endAsync();
  child.kill('SIGTERM');
  return { messagesPerSecond: total / ((lastAt - published.startedAt) / 1000), messages: total };
}

/** InfluxDB alone: the given points in 5,000-point batches, `parallel` writes at a time; points/s. */
export async function influxAlone(influx: InfluxV1Client, lines: readonly string[], parallel: number, batch = 5000): Promise<number> {
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i += batch) bodies.push(lines.slice(i, i + batch).join('\n'));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < bodies.length) await influx.write(bodies[next++]!);
    }),
  );
  return lines.length / ((performance.now() - started) / 1000);
}

/** CPU time (user + system) a process has used so far, ms, from /proc (Linux; clock ticks of 10 ms). */
export async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5) — utime, stime — are at 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Cumulative bucket counts of a Prometheus histogram (summed over labels matching `labels`). */
function buckets(text: string, name: string, labels = ''): Map<number, number> {
  const out = new Map<number, number>();
  for (const row of text.split('\n')) {
    if (!row.startsWith(`${name}_bucket{`) || !row.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(row)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    out.set(bound, (out.get(bound) ?? 0) + Number(row.slice(row.lastIndexOf(' ') + 1)));
  }
  return out;
}

/** The hub's latency histograms the benchmarks print, by the label they print. */
const HUB_HISTOGRAMS = {
  'PUBLISH -> PUBACK': ['rpm_puback_latency_seconds', 'acked'],
  'spool write + fdatasync': ['rpm_spool_commit_duration_seconds', ''],
  'InfluxDB write': ['rpm_influx_write_duration_seconds', ''],
} as const;

/**
 * "the hub's own view …" line of the benchmarks: p50 / p99 of the named hub histograms between two
 * scrapes of /metrics, as bucket bounds (coarse, but free of client scheduling).
 */
export function hubLatencyView(before: string, after: string, which: readonly (keyof typeof HUB_HISTOGRAMS)[]): string {
  const ms = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const parts = which.map((label) => {
    const [name, labels] = HUB_HISTOGRAMS[label];
    return `${label} <= ${ms(histogramQuantileMs(before, after, name, 0.5, labels))} / ${ms(histogramQuantileMs(before, after, name, 0.99, labels))} ms`;
  });
  return `the hub's own view (histogram bucket bounds, p50 / p99): ${parts.join('; ')}`;
}

/**
 * The q-quantile (0..1) of what a histogram observed between two scrapes, as the upper bound of the
 * bucket it falls in (so "≤ x ms"). Coarse, but it is the hub's own view, free of client scheduling.
 */
function histogramQuantileMs(before: string, after: string, name: string, q: number, labels: string): number {
  const a = buckets(after, name, labels);
  const b = buckets(before, name, labels);
  const bounds = [...a.keys()].sort((x, y) => x - y);
  const total = (a.get(Number.POSITIVE_INFINITY) ?? 0) - (b.get(Number.POSITIVE_INFINITY) ?? 0);
  for (const bound of bounds) {
    if ((a.get(bound) ?? 0) - (b.get(bound) ?? 0) >= q * total) return bound * 1000;
  }
  return Number.NaN;
}
