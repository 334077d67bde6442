/**
 * What the hub logs when CREATE DATABASE fails at start-up, against a stand-in HTTP server that
 * answers as InfluxDB 1.x and 2.x do. Before, every failure was logged as "not reachable", the 2.x
 * refusal included.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { InfluxV1Client } from './influx-v1.js';
import { ensureDatabaseAtStartup } from './influx-startup.js';

let answer: { status: number; body: string } = { status: 200, body: '{"results":[{"statement_id":0}]}' };
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function recordingLog() {
  const lines: { level: string; msg: string; obj: object }[] = [];
  return {
    lines,
    info: (obj: object, msg: string) => lines.push({ level: 'info', msg, obj }),
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', msg, obj }),
  };
}

const client = (at = url) => new InfluxV1Client({ url: at, database: 'rpm', auth: { kind: 'token', token: 't0ken' }, timeoutMs: 2_000 });

describe('CREATE DATABASE at hub start-up', () => {
  it('says InfluxDB 2.x refused it (not implemented), at info, and does not call the server unreachable', async () => {
    // influxdata/influxdb#22255: what 2.x answers on /query.
    answer = { status: 200, body: '{"results":[{"statement_id":0,"error":"not implemented: CREATE DATABASE"}]}' };
    const log = recordingLog();
    expect(await ensureDatabaseAtStartup(client(), log)).toEqual({ kind: 'not_supported', status: 200 });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.level).toBe('info');
    expect(log.lines[0]!.msg).toMatch(/refused CREATE DATABASE \(2\.x\/3\.x do not offer it\)/);
    expect(log.lines[0]!.msg).not.toMatch(/not reachable/);
  });

  it('says the token may not create it on 401/403', async () => {
    answer = { status: 403, body: '{"code":"forbidden","message":"insufficient permissions"}' };
    const log = recordingLog();
    expect(await ensureDatabaseAtStartup(client(), log)).toEqual({ kind: 'not_authorized', status: 403 });
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([['warn', expect.stringMatching(/refused CREATE DATABASE: not authorized/) as unknown]]);
  });

  it('says "not reachable" only when nothing answered', async () => {
    const log = recordingLog();
    expect(await ensureDatabaseAtStartup(client(`http://127.0.0.1:${await freePort()}`), log)).toEqual({ kind: 'unreachable' });
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'InfluxDB not reachable at start-up; readings are spooled until it is']]);
  });

  it('names another answered error as such', async () => {
    answer = { status: 500, body: '{"error":"internal"}' };
    const log = recordingLog();
    expect(await ensureDatabaseAtStartup(client(), log)).toEqual({ kind: 'failed', status: 500 });
    expect(log.lines[0]!.msg).toMatch(/answered CREATE DATABASE with an error/);
  });

  it('logs nothing when 1.x creates it', async () => {
    answer = { status: 200, body: '{"results":[{"statement_id":0}]}' };
    const log = recordingLog();
    expect(await ensureDatabaseAtStartup(client(), log)).toEqual({ kind: 'created' });
    expect(log.lines).toEqual([]);
  });
});
