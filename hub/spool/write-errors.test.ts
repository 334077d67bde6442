import { describe, expect, it } from 'vitest';
import { InfluxError } from '../storage/influx-v1.js';
import { backoffDelayMs, classifyWriteError, reasonWithoutPoint, MAX_RETRY_AFTER_MS } from './write-errors.js';
import { decodeRecords, encodeRecord, RECORD_HEADER_BYTES } from './record-codec.js';
import { gatewayOfLine, rejectedPointLetters } from './rejected-letters.js';

describe('classifyWriteError', () => {
  it.each([
    [new InfluxError('unreachable', undefined, true), 'unreachable', 'retry'],
    [new InfluxError('bad', 400, false), 'bad_request', 'reject'],
    [new InfluxError('auth', 401, false), 'auth', 'retry'],
    [new InfluxError('forbidden', 403, false), 'auth', 'retry'],
    [new InfluxError('db not found', 404, false), 'not_found', 'retry'],
    [new InfluxError('too big', 413, false), 'too_large', 'split'],
    [new InfluxError('slow down', 429, true, 2000), 'throttled', 'retry'],
    [new InfluxError('unavailable', 503, true, 1000), 'server_error', 'retry'],
    [new Error('something else'), 'other', 'retry'],
  ] as const)('%s -> %s / %s', (err, kind, action) => {
    expect(classifyWriteError(err)).toMatchObject({ kind, action });
  });

  it('carries Retry-After through', () => {
    expect(classifyWriteError(new InfluxError('slow down', 429, true, 2000)).retryAfterMs).toBe(2000);
  });
});

describe('backoffDelayMs', () => {
  const policy = { baseMs: 100, maxMs: 10_000 };
  it('doubles per attempt within [half, full] of the step, capped', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(100);
    expect(backoffDelayMs(4, policy, () => 1)).toBe(800);
    expect(backoffDelayMs(30, policy, () => 1)).toBe(10_000);
    expect(backoffDelayMs(30, policy, () => 0)).toBe(5_000);
  });
  it('waits at least as long as Retry-After asks, up to a bound', () => {
    expect(backoffDelayMs(1, policy, () => 0, 3000)).toBe(3000);
    expect(backoffDelayMs(1, policy, () => 0, 24 * 3600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('reasonWithoutPoint', () => {
  it("drops the quoted point from InfluxDB's parse error", () => {
    const msg = "InfluxDB write failed with HTTP 400: unable to parse 'spo2,patient=p-1001 x=': missing field value";
    expect(reasonWithoutPoint(msg)).toBe('InfluxDB write failed with HTTP 400: unable to parse the point: missing field value');
    expect(reasonWithoutPoint(msg)).not.toContain('p-1001');
  });
  it('keeps other messages (a field type conflict names no tag values)', () => {
    const msg = 'partial write: field type conflict: input field "spo2" on measurement "spo2" is type integer, already exists as type float dropped=1';
    expect(reasonWithoutPoint(msg)).toBe(msg);
  });
});

describe('rejected point letters', () => {
  it('names the gateway from the point and keeps the point for the admin', () => {
    const lp = 'blood_pressure,device=sn-1,gateway=home-0001,patient=p-1 systolic=1 1';
    expect(gatewayOfLine(lp)).toBe('home-0001');
    expect(gatewayOfLine('m,gateway=a\\ b\\,c v=1')).toBe('a b,c');
    expect(gatewayOfLine('m v=1')).toBe('unknown');
    const [letter] = rejectedPointLetters([{ line: lp, reason: 'missing field value', status: 400 }], new Date(0));
    expect(letter).toMatchObject({ gatewayId: 'home-0001', reasonCode: 'influx_rejected', payload: lp, reason: 'InfluxDB refused the point (HTTP 400): missing field value' });
  });
});

describe('record codec', () => {
  it('round-trips records and stops at a torn or corrupt one', () => {
    const a = encodeRecord('m v=1 1\nm v=2 2', 2, 1000);
    const b = encodeRecord('m v=3 3', 1, 2000);
    const both = Buffer.concat([a, b]);
    const decoded = decodeRecords(both, 100);
    expect(decoded.stop).toBeUndefined();
    expect(decoded.records).toEqual([
      { offset: 100, end: 100 + a.length, points: 2, appendedAtMs: 1000, payload: Buffer.from('m v=1 1\nm v=2 2') },
      { offset: 100 + a.length, end: 100 + both.length, points: 1, appendedAtMs: 2000, payload: Buffer.from('m v=3 3') },
    ]);
    expect(decodeRecords(both.subarray(0, both.length - 1), 0)).toMatchObject({ validBytes: a.length, stop: 'incomplete' });
    expect(decodeRecords(both.subarray(0, a.length + 5), 0)).toMatchObject({ validBytes: a.length, stop: 'incomplete' });
    const flipped = Buffer.from(both);
    flipped[a.length + RECORD_HEADER_BYTES + 2]! ^= 0x01;
    expect(decodeRecords(flipped, 0)).toMatchObject({ validBytes: a.length, stop: 'corrupt' });
    expect(decodeRecords(Buffer.alloc(64), 0)).toMatchObject({ validBytes: 0, stop: 'corrupt' });
  });

  it('stops before going over maxPoints, returning at least one record', () => {
    const buf = Buffer.concat([encodeRecord('a v=1', 1, 0), encodeRecord('b v=1\nb v=2', 2, 0), encodeRecord('c v=1', 1, 0)]);
    expect(decodeRecords(buf, 0, 2).records.map((r) => r.payload.toString('utf8'))).toEqual(['a v=1']);
    expect(decodeRecords(buf, 0, 3).records.map((r) => r.payload.toString('utf8'))).toEqual(['a v=1', 'b v=1\nb v=2']);
    expect(decodeRecords(buf, 0, 0).records).toHaveLength(1);
  });
});
