/**
 * Gateway benchmark (npm run bench:gateway). Prints figures; asserts nothing.
 *  1. A gateway process (scripts/bench/gateway-process.ts) with 10 simulated devices, against a bare
 *     Aedes broker in this process: CPU % and RSS from /proc/<pid>/stat and /proc/<pid>/status, idle and
 *     while the devices measure (one measurement every 2 s per device); with default V8 settings and with
 *     the V8 settings the systemd unit uses (no optimising compiler, small young generation).
 *  2. Outbox appends/s with fsync: one append at a time (one fsync each) and 64 in flight (group commit).
 *  3. Replay after an outage: 10,000 readings drained unthrottled, and at the default 200/s.
 *  4. Outbox footprint: bytes on disk and heap per pending reading.
 * Runs the compiled gateway (dist/, `npm run build`) when present, else through tsx (whose loader
 * thread adds memory: the figure then says so).
 */
import { Aedes } from 'aedes';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { GatewayLink } from '../../gateway/mqtt/gateway-link.js';
import { FileOutbox } from '../../gateway/outbox/outbox.js';
import type { Reading } from '../../contract/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { exitOnHelp } from '../lib/cli-help.js';

exitOnHelp('npm run bench:gateway: a gateway process with simulated devices against a bare broker. Prints figures.');

const CLK_TCK = 100; // Linux USER_HZ: /proc times are in 1/100 s on every mainstream kernel
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reading(i: number): Reading {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: `h-bench${String(i).padStart(17, '0')}`,
    kind: 'blood_pressure',
    device: { id: 'sn-BPC-0001', address: 'c0:ff:ee:00:00:01', manufacturer: 'SimCare', model: 'BP-100', serial: 'BPC-0001', firmware: '1.4.2' },
    components: [
      { name: 'systolic', code: '8480-6', value: 130, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: 82, unit: 'mm[Hg]' },
      { name: 'meanArterialPressure', code: '8478-0', value: 98, unit: 'mm[Hg]' },
    ],
    measuredAt: at,
    receivedAt: at,
    deviceTime: at.slice(0, 19),
    timeSource: 'device',
    clockOffsetS: 0,
    clockSuspect: false,
    late: false,
    status: [],
  };
}

async function procSample(pid: number): Promise<{ cpuTicks: number; rssKb: number }> {
  const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name: utime is field 14, stime 15 (man 5 proc).
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuTicks, rssKb };
}

async function measure(pid: number, seconds: number): Promise<{ cpuPercent: number; rssMb: number; peakRssMb: number }> {
  const start = await procSample(pid);
  const t0 = Date.now();
  let peak = start.rssKb;
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    peak = Math.max(peak, (await procSample(pid)).rssKb);
  }
  const end = await procSample(pid);
  const wallS = (Date.now() - t0) / 1000;
  return { cpuPercent: ((end.cpuTicks - start.cpuTicks) / CLK_TCK / wallS) * 100, rssMb: end.rssKb / 1024, peakRssMb: peak / 1024 };
}

async function startBroker(): Promise<{ port: number; publishes: () => number; close: () => Promise<void> }> {
  const aedes = await Aedes.createBroker();
  let publishes = 0;
  aedes.on('publish', (packet, client) => {
    if (client && packet.topic.endsWith('/readings')) publishes += (JSON.parse(packet.payload.toString()) as { readings: unknown[] }).readings.length;
  });
  const server = createServer({ noDelay: true }, (socket) => aedes.handle(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    publishes: () => publishes,
    close: async () => {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function processFigures(brokerPort: number, publishes: () => number, nodeOptions: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rpm-bench-gw-'));
  const compiled = 'dist/scripts/bench/gateway-process.js';
  const useDist = existsSync(compiled);
  const flags = nodeOptions ? nodeOptions.split(' ') : [];
  const args = useDist ? [...flags, compiled] : [...flags, '--import', 'tsx', 'scripts/bench/gateway-process.ts'];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, RPM_HUB_URL: `mqtt://127.0.0.1:${brokerPort}`, RPM_GATEWAY_DATA_DIR: dir, BENCH_DEVICES: '10' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stored = 0;
  await new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      if (text.includes('ready')) resolve();
      const m = /stored (\d+)\n?$/.exec(text.trim());
      if (m) stored = Number(m[1]);
    }),
  );
  const pid = child.pid!;
  await sleep(5000); // start-up and JIT settle
  const idle = await measure(pid, 15);
  child.kill('SIGUSR2');
  await sleep(3000);
  const before = { stored, delivered: publishes() };
  const busy = await measure(pid, 20);
  const after = { stored, delivered: publishes() };
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
  const how = useDist ? 'compiled (dist/)' : 'through tsx (its loader thread adds memory; run `npm run build` first for the deployed figure)';
  console.log(`gateway process, 10 simulated devices, ${how}, node flags: ${nodeOptions || '(none)'}`);
  console.log(`  idle:      CPU ${idle.cpuPercent.toFixed(2)} %   RSS ${idle.rssMb.toFixed(1)} MB (peak ${idle.peakRssMb.toFixed(1)})   targets: CPU < 1 %, RSS < 80 MB`);
  console.log(`  measuring: CPU ${busy.cpuPercent.toFixed(2)} %   RSS ${busy.rssMb.toFixed(1)} MB (peak ${busy.peakRssMb.toFixed(1)})   ${after.stored - before.stored} readings stored, ${after.delivered - before.delivered} delivered in 20 s`);
}

async function outboxFigures(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rpm-bench-outbox-'));
  for (const inFlight of [1, 64]) {
    const outbox = await FileOutbox.open({ dir: join(dir, `c${inFlight}`) });
    let n = 0;
    const until = Date.now() + 3000;
    const lane = async () => {
      while (Date.now() < until) await outbox.append([reading(n++)]);
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: inFlight }, lane));
    const s = (Date.now() - t0) / 1000;
    console.log(`outbox appends (fsync on), ${String(inFlight).padStart(2)} in flight: ${Math.round(n / s)} appends/s, ${Math.round(outbox.stats.fsyncs / s)} fsyncs/s`);
    await outbox.close();
  }
  // Footprint per pending reading, on disk and in the heap.
  const big = await FileOutbox.open({ dir: join(dir, 'footprint'), maxEntries: 100_000 });
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const N = 50_000;
  for (let i = 0; i < N; i += 1000) await big.append(Array.from({ length: 1000 }, (_, j) => reading(i + j)));
  global.gc?.();
  const heapPer = (process.memoryUsage().heapUsed - heap0) / N;
  const diskPer = (await stat(big.path)).size / N;
  await big.close();
  console.log(`outbox footprint: ${Math.round(diskPer)} bytes/reading on disk, ~${Math.round(heapPer)} bytes/reading in memory${global.gc ? '' : ' (no --expose-gc: approximate)'}`);
  console.log(`  30 days of a typical home (30/day = 900 readings): ${((900 * diskPer) / 1e6).toFixed(2)} MB; the default bound of 50,000: ${((N * diskPer) / 1e6).toFixed(0)} MB on disk`);
  await rm(dir, { recursive: true, force: true });
}

async function replayFigures(brokerPort: number): Promise<void> {
  for (const [rate, count] of [
    [0, 10_000],
    [200, 2_000],
  ] as const) {
    const dir = await mkdtemp(join(tmpdir(), 'rpm-bench-replay-'));
    const outbox = await FileOutbox.open({ dir });
    for (let i = 0; i < count; i += 1000) await outbox.append(Array.from({ length: 1000 }, (_, j) => reading(i + j)));
    const link = new GatewayLink(
      { url: `mqtt://127.0.0.1:${brokerPort}`, gatewayId: 'bench-replay', secret: 'x', heartbeatS: 60, batchSize: 100, replayRatePerS: rate, software: 'bench', timeZone: 'UTC', bluetoothState: () => 'simulated' },
      outbox,
      pino({ level: 'silent' }),
    );
    const t0 = Date.now();
    link.start();
    while (outbox.depth > 0) await sleep(20);
    const s = (Date.now() - t0) / 1000;
    await link.stop();
    await outbox.close();
    await rm(dir, { recursive: true, force: true });
    console.log(`replay of ${count} readings after an outage, ${rate === 0 ? 'unthrottled' : `replayRatePerS ${rate}`}: ${Math.round(count / s)} readings/s (${s.toFixed(1)} s, incl. connecting)`);
  }
}

const broker = await startBroker();
console.log('(figures from a shared 2-core machine; other work running at the same time disturbs them)');
await outboxFigures();
await replayFigures(broker.port);
// Default V8 settings, then those of the systemd unit (docs/deploy/rpm-gateway.service).
await processFigures(broker.port, broker.publishes, '');
await processFigures(broker.port, broker.publishes, '--lite-mode --max-semi-space-size=2');
await broker.close();
