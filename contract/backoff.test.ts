import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, exponentialMs, type Backoff, type Jitter } from './backoff.js';

const jitters: Jitter[] = [{ kind: 'none' }, { kind: 'equal' }, { kind: 'full' }, { kind: 'spread', spread: 0.2 }];
const policy = (jitter: Jitter): Backoff => ({ baseMs: 100, maxMs: 10_000, jitter });

describe('exponentialMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 1e9].map((a) => exponentialMs(a, 100, 10_000))).toEqual([100, 100, 200, 400, 800, 6_400, 10_000, 10_000]);
  });
});

describe('backoffMs', () => {
  it('gives each policy its range at the extremes of the random source', () => {
    const at = (j: Jitter, r: number, attempt = 4) => backoffMs(attempt, policy(j), () => r);
    expect([at(jitters[0]!, 0), at(jitters[0]!, 1)]).toEqual([800, 800]);
    expect([at(jitters[1]!, 0), at(jitters[1]!, 1)]).toEqual([400, 800]);
    expect([at(jitters[2]!, 0), at(jitters[2]!, 1)]).toEqual([0, 800]);
    expect([at(jitters[3]!, 0), at(jitters[3]!, 1)]).toEqual([640, 960]);
    // spread never pushes past the cap
    expect(at(jitters[3]!, 1, 40)).toBe(10_000);
  });

  it('stays within [0, maxMs] and inside its policy band, for any attempt, policy and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...jitters),
        (attempt, baseMs, extra, r, jitter) => {
          const p: Backoff = { baseMs, maxMs: baseMs + extra, jitter };
          const d = exponentialMs(attempt, p.baseMs, p.maxMs);
          const got = backoffMs(attempt, p, () => r);
          expect(Number.isInteger(got)).toBe(true);
          expect(got).toBeGreaterThanOrEqual(0);
          expect(got).toBeLessThanOrEqual(p.maxMs);
          const lo = jitter.kind === 'none' ? d : jitter.kind === 'equal' ? d / 2 : jitter.kind === 'full' ? 0 : d * 0.8;
          const hi = jitter.kind === 'spread' ? Math.min(p.maxMs, d * 1.2) : d;
          expect(got).toBeGreaterThanOrEqual(Math.floor(lo));
          expect(got).toBeLessThanOrEqual(Math.ceil(hi));
        },
      ),
    );
  });

  it('is monotone in the attempt until the cap and constant after it (jitter none)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000 }), (attempt, baseMs, extra) => {
        const p: Backoff = { baseMs, maxMs: baseMs + extra, jitter: { kind: 'none' } };
        const a = backoffMs(attempt, p, Math.random);
        const b = backoffMs(attempt + 1, p, Math.random);
        expect(b).toBeGreaterThanOrEqual(a);
        if (a === p.maxMs) expect(b).toBe(p.maxMs);
      }),
    );
  });

  it('treats a random source outside [0, 1] as its nearest end', () => {
    expect(backoffMs(1, policy({ kind: 'full' }), () => 7)).toBe(100);
    expect(backoffMs(1, policy({ kind: 'full' }), () => -1)).toBe(0);
  });
});
