import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from './failed-auth-limiter.js';

describe('FailedAuthLimiter', () => {
  it('limits an address after N failures within the window, and forgives it once they age out', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 3, windowMs: 60_000 });
    const t0 = 1_000_000;
    expect(limiter.fail('10.0.0.1', t0).limited).toBe(false);
    expect(limiter.fail('10.0.0.1', t0 + 1_000).limited).toBe(false);
    expect(limiter.fail('10.0.0.1', t0 + 2_000).limited).toBe(false);
    const fourth = limiter.fail('10.0.0.1', t0 + 3_000);
    expect(fourth).toEqual({ limited: true, retryAfterMs: 57_000 });
    // Another address is not affected.
    expect(limiter.fail('10.0.0.2', t0 + 3_000).limited).toBe(false);
    // A minute after them, those failures no longer count.
    expect(limiter.fail('10.0.0.1', t0 + 63_500).limited).toBe(false);
  });

  it('forgets the least recently failing addresses beyond its capacity', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 1, maxAddresses: 2 });
    limiter.fail('a', 1);
    limiter.fail('b', 2);
    limiter.fail('c', 3);
    expect(limiter.size).toBe(2);
    // 'a' was forgotten: its next failure is its first again.
    expect(limiter.fail('a', 4).limited).toBe(false);
    expect(limiter.fail('c', 5).limited).toBe(true);
  });
});
