/**
 * rpm-gateway as an operator meets it: `decode`, configuration errors, and a start on a machine without
 * Bluetooth (this one): one clear log line, delivery machinery running, clean exit on SIGTERM.
 */
import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);

async function gatewayCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/rpm-gateway.ts', ...args], { timeout: 20_000, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('rpm-gateway decode', () => {
  it('prints one JSON object with the fields and the readings, exit 0', async () => {
    const result = await gatewayCli(['decode', '2a35', '068a0052006500ea07030e0805004700', '--time-zone', 'Europe/Copenhagen']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(result.stdout) as { characteristic: string; fields: Record<string, unknown>; readings: { kind: string; measuredAt: string }[] };
    expect(out.characteristic).toBe('Blood Pressure Measurement (0x2a35)');
    expect(out.fields).toMatchObject({ unit: 'mmHg', systolic: 138, diastolic: 82, meanArterialPressure: 101, timestamp: '2026-03-14T08:05:00', pulseRate: 71 });
    expect(out.readings.map((r) => [r.kind, r.measuredAt])).toEqual([
      ['blood_pressure', '2026-03-14T07:05:00.000Z'],
      ['heart_rate', '2026-03-14T07:05:00.000Z'],
    ]);
  });

  it.each([
    [['2a35', '1e82'], 'Blood Pressure Measurement (0x2a35): truncated: systolic needs 2 bytes at offset 1, payload has 2'],
    [['2a19', 'zz'], 'bad hex: "z" is not a hex digit'],
    [['2a19', '65'], 'Battery Level (0x2a19): invalid batteryLevel: 101 outside 0-100'],
    [['2aff', '00'], 'no decoder for characteristic 0x2aff'],
    [['2a35'], 'usage: rpm-gateway decode <characteristic> <hex>'],
  ])('refuses %j with a one-line reason on stderr and exit 1', async (args, reason) => {
    const result = await gatewayCli(['decode', ...args]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(reason);
  });
});

describe('rpm-gateway run', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('gw-cli');
  });
  afterAll(() => dir.remove());

  it('names the field of a wrong or unknown setting in the config file', async () => {
    const file = join(dir.path, 'bad.json');
    await writeFile(file, JSON.stringify({ gatewayId: 'home-1', secret: 'x'.repeat(20), hubUrl: 'mqtt://127.0.0.1:1', maxConnections: 0, setDeviceClok: true }));
    const result = await gatewayCli(['--config', file], { RPM_GATEWAY_SECRET: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid gateway configuration');
    expect(result.stderr).toContain('maxConnections');
    expect(result.stderr).toContain('setDeviceClok');
  });

  it('reads the secret from RPM_GATEWAY_SECRET_FILE and says which file it could not read', async () => {
    const file = join(dir.path, 'nosecret.json');
    await writeFile(file, JSON.stringify({ gatewayId: 'home-1', hubUrl: 'mqtt://127.0.0.1:1' }));
    const missing = await gatewayCli(['--config', file], { RPM_GATEWAY_SECRET: '', RPM_GATEWAY_SECRET_FILE: join(dir.path, 'absent') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read the gateway secret from ${join(dir.path, 'absent')}`);
    const none = await gatewayCli(['--config', file], { RPM_GATEWAY_SECRET: '' });
    expect(none.stderr).toContain('secret: required (or secretFile / RPM_GATEWAY_SECRET_FILE)');
  });

  it('without Bluetooth: logs one clear line, keeps running, and exits 0 on SIGTERM', async () => {
    const file = join(dir.path, 'gateway.json');
    const secretFile = join(dir.path, 'secret');
    await writeFile(secretFile, 'gw_secret-for-the-cli-test-0000\n');
    // An unreachable hub: the outbox and the link must run regardless.
    await writeFile(file, JSON.stringify({ gatewayId: 'home-cli', hubUrl: 'mqtt://127.0.0.1:9', dataDir: join(dir.path, 'data'), devices: [{ address: 'a4:c1:38:00:11:22' }] }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/rpm-gateway.ts', '--config', file], {
      env: { ...process.env, RPM_GATEWAY_SECRET: '', RPM_GATEWAY_SECRET_FILE: secretFile, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the adapter line', () => (stdout.includes('no usable Bluetooth adapter') ? true : undefined), 15_000);
    // Long enough for noble's one-second retry loop to have printed again, had it been started.
    await new Promise((r) => setTimeout(r, 2_500));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => l.includes('Bluetooth')).length).toBe(1);
    expect(stdout).not.toContain('noble warning');
    const line = JSON.parse(lines.find((l) => l.includes('no usable Bluetooth adapter'))!) as { level: number; state: string };
    expect(line).toMatchObject({ level: 50, state: 'unsupported' });
    // Every line is JSON for journald, and the secret never appears.
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(stdout).not.toContain('gw_secret-for-the-cli-test');
  });
});
