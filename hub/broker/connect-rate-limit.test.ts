import { describe, expect, it } from 'vitest';
import { ConnectRateLimiter } from './connect-rate-limit.js';
import { LogThrottle } from './log-throttle.js';

describe('ConnectRateLimiter', () => {
  it('allows a burst of perMinute attempts per address, then refills at perMinute a minute', () => {
    let now = 0;
    const limiter = new ConnectRateLimiter(3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.tryAcquire('10.0.0.1'))).toEqual([true, true, true, false]);
    expect(limiter.tryAcquire('10.0.0.2')).toBe(true);
    now += 19_999;
    expect(limiter.tryAcquire('10.0.0.1')).toBe(false);
    now += 1;
    expect(limiter.tryAcquire('10.0.0.1')).toBe(true);
    expect(limiter.tryAcquire('10.0.0.1')).toBe(false);
  });

  it('tracks a bounded number of addresses, forgetting idle ones first', () => {
    let now = 0;
    const limiter = new ConnectRateLimiter(2, () => now, 100);
    for (let i = 0; i < 100; i++) limiter.tryAcquire(`a${i}`);
    now += 60_000;
    limiter.tryAcquire('busy');
    limiter.tryAcquire('new');
    expect(limiter.tracked).toBeLessThanOrEqual(100);
    for (let i = 0; i < 1000; i++) limiter.tryAcquire(`flood${i}`);
    expect(limiter.tracked).toBeLessThanOrEqual(100);
  });
});

describe('LogThrottle', () => {
  it('lets one line per key per window through and counts the ones held back', () => {
    let now = 0;
    const throttle = new LogThrottle(60_000, () => now);
    expect(throttle.take('bad|1.2.3.4')).toEqual({ suppressed: 0 });
    expect(throttle.take('bad|1.2.3.4')).toBeUndefined();
    expect(throttle.take('bad|1.2.3.4')).toBeUndefined();
    expect(throttle.take('bad|5.6.7.8')).toEqual({ suppressed: 0 });
    now += 60_000;
    expect(throttle.take('bad|1.2.3.4')).toEqual({ suppressed: 2 });
  });
});
