/**
 * Vitest global set-up: one real InfluxDB for the whole run. Uses INFLUX_URL when set (an existing
 * server, e.g. InfluxDB 2.x with INFLUX_TOKEN); otherwise starts a private influxd on a free loopback
 * port with a temporary data directory. If influxd is missing the run fails with the install command:
 * integration tests are never skipped silently.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startInfluxd, type ManagedInfluxd } from '../../scripts/lib/influxd.js';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    influxToken: string;
  }
}

let managed: ManagedInfluxd | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const external = process.env.INFLUX_URL;
  if (external) {
    project.provide('influxUrl', external);
    project.provide('influxToken', process.env.INFLUX_TOKEN ?? '');
    return;
  }
  dataDir = await mkdtemp(join(tmpdir(), 'rpm-test-influxd-'));
  managed = await startInfluxd({ dataDir });
  project.provide('influxUrl', managed.url);
  project.provide('influxToken', '');
}

export async function teardown(): Promise<void> {
  await managed?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
