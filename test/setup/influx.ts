/** Per-test-file access to the run's InfluxDB: a fresh database per call, so files never see each other's points. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { InfluxV1Client, type InfluxAuth } from '../../hub/storage/influx-v1.js';

export function influxUrl(): string {
  return inject('influxUrl');
}

export function influxAuth(): InfluxAuth {
  const token = inject('influxToken');
  return token ? { kind: 'token', token } : { kind: 'none' };
}

export async function freshInfluxDatabase(prefix = 'test'): Promise<InfluxV1Client> {
  const database = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new InfluxV1Client({ url: influxUrl(), database, auth: influxAuth() });
  await client.ensureDatabase();
  return client;
}
