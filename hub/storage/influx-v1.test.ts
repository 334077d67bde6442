/** The v1 client against the run's real influxd: writes, bound-parameter queries, and how failures are classified. */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { freshInfluxDatabase, influxAuth, influxUrl } from '../../test/setup/influx.js';
import { InfluxError, InfluxV1Client } from './influx-v1.js';

describe('InfluxV1Client', () => {
  it('writes line protocol and reads it back with bound parameters', async () => {
    const influx = await freshInfluxDatabase('client');
    await influx.write(['m,patient=p-1 v=1 1700000000000', 'm,patient=p-2 v=2 1700000000000']);
    const series = await influx.query('SELECT "v" FROM "m" WHERE "patient" = $p', { p: 'p-2' });
    expect(series[0]?.values).toEqual([[1700000000000, 2]]);
  });

  it('does not let a parameter change the query', async () => {
    const influx = await freshInfluxDatabase('client');
    await influx.write('m,patient=p-1 v=1 1700000000000');
    const series = await influx.query('SELECT "v" FROM "m" WHERE "patient" = $p', { p: "p-1' OR patient =~ /.*/ --" });
    expect(series).toEqual([]);
  });

  it('gzips large bodies and InfluxDB accepts them', async () => {
    const influx = new InfluxV1Client({ url: influxUrl(), database: (await freshInfluxDatabase('gz')).database, auth: influxAuth(), gzipAboveBytes: 10 });
    const lines = Array.from({ length: 2000 }, (_, i) => `m,patient=p-1 v=${i} ${1700000000000 + i}`);
    await influx.write(lines);
    const series = await influx.query('SELECT count("v") FROM "m"');
    expect(series[0]?.values[0]?.[1]).toBe(2000);
  });

  it('classifies bad line protocol as permanent, with the server reason', async () => {
    const influx = await freshInfluxDatabase('client');
    const err = await influx.write('m,patient=p-1 v= 1700000000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfluxError);
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect((err as Error).message).toMatch(/^InfluxDB write failed with HTTP 400: /);
  });

  it('classifies a missing database as permanent', async () => {
    const influx = new InfluxV1Client({ url: influxUrl(), database: 'does_not_exist_xyz', auth: influxAuth() });
    await expect(influx.write('m v=1 1700000000000')).rejects.toMatchObject({ status: 404, retryable: false });
  });

  it('classifies an unreachable server as retryable', async () => {
    const influx = new InfluxV1Client({ url: `http://127.0.0.1:${await freePort()}`, database: 'x', auth: { kind: 'none' }, timeoutMs: 2000 });
    const err = await influx.write('m v=1 1700000000000').catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, status: undefined });
    expect((err as Error).message).toMatch(/^InfluxDB unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    expect(await influx.ping()).toBe(false);
  });
});
