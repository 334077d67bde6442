import { describe, it, expect } from 'vitest';
import { EvaluationScheduler } from './evaluation-scheduler.js';

/** A run function that records calls and can hold an evaluation open until released. */
function recorder() {
  const calls: string[] = [];
  const gates = new Map<string, () => void>();
  let hold = false;
  return {
    calls,
    holdNext: () => (hold = true),
    release: (id: string) => gates.get(id)?.(),
    run: (id: string) => {
      calls.push(id);
      if (!hold) return Promise.resolve();
      hold = false;
      return new Promise<void>((resolve) => gates.set(id, resolve));
    },
  };
}

describe('EvaluationScheduler', () => {
  it('coalesces a patient submitted again while waiting, and paces it to one evaluation per interval', async () => {
    const r = recorder();
    const s = new EvaluationScheduler(r.run, { minIntervalMs: 80, coldAfterMs: 60_000 });
    const started = performance.now();
    for (let i = 0; i < 10; i++) s.submit(['p-1']);
    await s.whenIdle();
    expect(r.calls).toEqual(['p-1', 'p-1']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(79);
  });

  it('serves a quiet patient before patients whose readings keep coming', async () => {
    const r = recorder();
    const s = new EvaluationScheduler(r.run, { concurrency: 1, minIntervalMs: 0, coldAfterMs: 60_000 });
    s.submit(['flood']);
    await s.whenIdle();
    r.holdNext();
    s.submit(['busy']); // occupies the only slot
    s.submit(['flood']); // sent again a moment ago
    s.submit(['quiet']); // first readings
    r.release('busy');
    await s.whenIdle();
    expect(r.calls).toEqual(['flood', 'busy', 'quiet', 'flood']);
  });

  it('keeps busy patients to the budget, all of them together; quiet ones are not held by it', async () => {
    const r = recorder();
    const s = new EvaluationScheduler(r.run, { maxPerSecond: 20, minIntervalMs: 0, concurrency: 100, coldAfterMs: 60_000 });
    const ids = Array.from({ length: 30 }, (_, i) => `p-${i}`);
    s.submit(ids); // first time: quiet, all at once
    expect(r.calls.length).toBe(30);
    await s.whenIdle();
    s.submit(ids); // again at once: busy; the bucket holds 20, the rest come at 20 a second
    expect(r.calls.length).toBe(50);
    await s.whenIdle();
    expect(r.calls.length).toBe(60);
  });

  it('keeps busy evaluations to their share of the time', async () => {
    const took: number[] = [];
    const slow = async () => {
      const t = performance.now();
      await new Promise((res) => setTimeout(res, 60));
      took.push(performance.now() - t);
    };
    const s = new EvaluationScheduler(slow, { maxPerSecond: 1000, minIntervalMs: 0, concurrency: 1, busyShare: 0.1, coldAfterMs: 60_000 });
    s.submit(['a', 'b', 'c', 'd']);
    await s.whenIdle();
    const started = performance.now();
    // Busy now: a 10 % share refills 0.1 ms a ms. The full bucket (100 ms) lets a and b go at once;
    // c waits until the bucket is positive again (~80 ms), d until c's 60 ms are earned back (~600 ms).
    s.submit(['a', 'b', 'c', 'd']);
    await s.whenIdle();
    // A lower bound only: timers never fire early, so this cannot fail on a slow machine.
    expect(performance.now() - started).toBeGreaterThan(800);
  });

  it('stop drops what waits and lets the running evaluation end', async () => {
    const r = recorder();
    const s = new EvaluationScheduler(r.run, { concurrency: 1, minIntervalMs: 0 });
    r.holdNext();
    s.submit(['a', 'b', 'c']);
    const stopped = s.stop();
    r.release('a');
    await stopped;
    expect(r.calls).toEqual(['a']);
    s.submit(['d']);
    expect(r.calls).toEqual(['a']);
    s.resume();
    s.submit(['d']);
    await s.whenIdle();
    expect(r.calls).toEqual(['a', 'd']);
  });
});
