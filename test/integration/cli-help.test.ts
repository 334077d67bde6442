/** Each binary answers --help with its usage and exits 0; an unknown command exits 1 with the usage. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function cli(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `bin/${bin}.ts`, ...args], { timeout: 20_000, env: { ...process.env, INFLUX_URL: '' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('binaries', () => {
  it.each([
    ['rpm-hub', /^rpm-hub — remote patient monitoring hub/],
    ['rpm-gateway', /^rpm-gateway — reads BLE health devices/],
    ['rpm-sim', /^rpm-sim — simulated homes/],
  ])('%s --help prints its usage', async (bin, usage) => {
    const result = await cli(bin, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(usage);
  });

  it('rpm-hub refuses an unknown command with the usage on stderr', async () => {
    const result = await cli('rpm-hub', ['frobnicate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^unknown command "frobnicate"/);
  });

  it('rpm-hub serve names the missing variable when the configuration is wrong', async () => {
    const result = await cli('rpm-hub', ['serve']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid hub configuration');
    expect(result.stderr).toContain('INFLUX_URL');
  });
});
