import { describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { readingsFromHeartRate } from './from-heart-rate.js';
import { sampled } from './sampler.js';

const at = (iso: string, deviceId = 'dev-a') => readingContext('06 48', { receivedAt: new Date(iso), device: { id: deviceId } });
const beat = { heartRate: 72, sensorContact: 'detected' as const };
const lost = { heartRate: 72, sensorContact: 'notDetected' as const };

describe('sampled', () => {
  it('stores the first usable value per device per minute', () => {
    const sample = sampled(readingsFromHeartRate);
    const stored = (iso: string, device?: string, value = beat): Reading[] => sample(value, at(iso, device));
    expect(stored('2026-11-22T12:00:00Z')).toHaveLength(1);
    expect(stored('2026-11-22T12:00:01Z')).toHaveLength(0);
    expect(stored('2026-11-22T12:00:30Z', 'dev-b')).toHaveLength(1); // another device has its own window
    expect(stored('2026-11-22T12:00:59.999Z')).toHaveLength(0);
    expect(stored('2026-11-22T12:01:00Z')).toHaveLength(1);
  });

  it('does not let an unusable value use up the window', () => {
    const sample = sampled(readingsFromHeartRate);
    expect(sample(lost, at('2026-11-22T12:00:00Z'))).toHaveLength(0);
    expect(sample(beat, at('2026-11-22T12:00:01Z'))).toHaveLength(1);
  });

  it('opens a new window when the clock steps backwards', () => {
    const sample = sampled(readingsFromHeartRate);
    expect(sample(beat, at('2026-11-22T12:00:00Z'))).toHaveLength(1);
    expect(sample(beat, at('2026-11-22T11:00:00Z'))).toHaveLength(1);
  });

  it('forgets the oldest device beyond its bound', () => {
    const sample = sampled(readingsFromHeartRate, 60_000, 2);
    sample(beat, at('2026-11-22T12:00:00Z', 'a'));
    sample(beat, at('2026-11-22T12:00:00Z', 'b'));
    sample(beat, at('2026-11-22T12:00:00Z', 'c')); // evicts a
    expect(sample(beat, at('2026-11-22T12:00:10Z', 'a'))).toHaveLength(1);
    expect(sample(beat, at('2026-11-22T12:00:10Z', 'c'))).toHaveLength(0);
  });
});
