import { describe, expect, it } from 'vitest';
import { replayDelayMs } from './replay-throttle.js';

describe('replayDelayMs', () => {
  it.each([
    // batch, rate/s, elapsed ms -> wait ms
    [100, 200, 0, 500],
    [100, 200, 120, 380],
    [100, 200, 700, 0], // the publish itself took longer than the budget
    [1, 200, 0, 5],
    [50, 0, 0, 0], // 0 = unlimited
    [0, 200, 0, 0],
  ])('a batch of %i at %i/s after %i ms waits %i ms', (batch, rate, elapsed, wait) => {
    expect(replayDelayMs(batch, rate, elapsed)).toBe(wait);
  });
});
