import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from './secrets.js';
import { ScryptGate, ScryptGateBusyError } from './scrypt-gate.js';

/** A check whose completion the test controls, counting how many run at once. */
function controlledChecks(result: boolean) {
  const state = { running: 0, maxRunning: 0, calls: 0, release: [] as (() => void)[] };
  const check = () => {
    state.calls++;
    state.running++;
    state.maxRunning = Math.max(state.maxRunning, state.running);
    return new Promise<boolean>((resolve) =>
      state.release.push(() => {
        state.running--;
        resolve(result);
      }),
    );
  };
  return { state, check };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ScryptGate', () => {
  it('runs at most `limit` checks at once; the others wait their turn', async () => {
    const gate = new ScryptGate(2);
    const { state, check } = controlledChecks(false);
    const results = Array.from({ length: 5 }, (_, i) => gate.verify(`secret-${i}`, 'stored', check));
    await tick();
    expect(state.running).toBe(2);
    while (state.release.length > 0) {
      state.release.shift()!();
      await tick();
    }
    expect(await Promise.all(results)).toEqual([false, false, false, false, false]);
    expect(state.maxRunning).toBe(2);
    expect(state.calls).toBe(5);
  });

  it('sheds load: beyond `maxWaiting` queued checks it refuses at once, and takes checks again once the queue shortens', async () => {
    const gate = new ScryptGate(1, 100, 2);
    const { state, check } = controlledChecks(true);
    const admitted = [gate.verify('a', 'h', check), gate.verify('b', 'h', check), gate.verify('c', 'h', check)];
    await tick();
    expect(gate.queued).toBe(2);
    await expect(gate.verify('d', 'h', check)).rejects.toBeInstanceOf(ScryptGateBusyError);
    state.release.shift()!();
    await tick();
    const later = gate.verify('e', 'h', check);
    while (state.release.length > 0 || gate.queued > 0) {
      state.release.shift()?.();
      await tick();
    }
    expect(await Promise.all([...admitted, later])).toEqual([true, true, true, true]);
    expect(state.calls).toBe(4);
  });

  it('shares what verified with the other hubs: a fresh gate (a restarted hub) needs no check for a known secret, but does for a wrong one or a new hash', async () => {
    const shared = new Map<string, string>();
    const cache = { get: (k: string) => Promise.resolve(shared.get(k)), set: (k: string, v: string) => Promise.resolve(void shared.set(k, v)) };
    const hubA = new ScryptGate();
    hubA.shared = cache;
    let calls = 0;
    const real = (secret: string) => () => (calls++, Promise.resolve(secret === 'right'));
    expect(await hubA.verify('right', 'hash-v1', real('right'))).toBe(true);
    expect(calls).toBe(1);
    expect([...shared.values()].join()).not.toContain('right');
    const restarted = new ScryptGate();
    restarted.shared = cache;
    expect(await restarted.verify('right', 'hash-v1', real('right'))).toBe(true);
    expect(calls).toBe(1);
    expect(await restarted.verify('wrong', 'hash-v1', real('wrong'))).toBe(false);
    expect(await restarted.verify('right', 'hash-v2', real('right'))).toBe(true);
    expect(calls).toBe(3);
  });

  it('checks a secret once when the same box connects several times while checks wait', async () => {
    const gate = new ScryptGate(1);
    const { state, check } = controlledChecks(true);
    const all = Array.from({ length: 4 }, () => gate.verify('same', 'hash', check));
    while (state.release.length > 0 || gate.queued > 0) {
      state.release.shift()?.();
      await tick();
    }
    expect(await Promise.all(all)).toEqual([true, true, true, true]);
    expect(state.calls).toBe(1);
  });

  it('remembers a secret that verified, for the same stored hash only', async () => {
    const gate = new ScryptGate(1);
    let calls = 0;
    const ok = () => (calls++, Promise.resolve(true));
    expect(await gate.verify('s3cret', 'hash-v1', ok)).toBe(true);
    expect(await gate.verify('s3cret', 'hash-v1', ok)).toBe(true);
    expect(calls).toBe(1);
    // A rotated secret has a new stored hash: checked again.
    expect(await gate.verify('s3cret', 'hash-v2', ok)).toBe(true);
    expect(calls).toBe(2);
  });

  it('never remembers a failure: a wrong secret pays the full check every time', async () => {
    const gate = new ScryptGate(1);
    let calls = 0;
    const bad = () => (calls++, Promise.resolve(false));
    expect(await gate.verify('guess', 'hash', bad)).toBe(false);
    expect(await gate.verify('guess', 'hash', bad)).toBe(false);
    expect(calls).toBe(2);
  });

  it('forgets the least recently used success beyond its capacity', async () => {
    const gate = new ScryptGate(1, 2);
    let calls = 0;
    const ok = () => (calls++, Promise.resolve(true));
    await gate.verify('a', 'h', ok);
    await gate.verify('b', 'h', ok);
    await gate.verify('a', 'h', ok); // a is now the most recent
    await gate.verify('c', 'h', ok); // pushes out b
    expect(calls).toBe(3);
    await gate.verify('a', 'h', ok);
    expect(calls).toBe(3);
    await gate.verify('b', 'h', ok);
    expect(calls).toBe(4);
  });

  it('a failing check frees its slot for the next one', async () => {
    const gate = new ScryptGate(1);
    await expect(gate.verify('x', 'h', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.verify('x', 'h', () => Promise.resolve(true))).toBe(true);
  });
});

describe('verifySecret through the gate', () => {
  it('accepts the right secret (again, from memory) and refuses a wrong one', async () => {
    const stored = await hashSecret('gw_right-secret-0123456789');
    expect(await verifySecret('gw_right-secret-0123456789', stored)).toBe(true);
    expect(await verifySecret('gw_right-secret-0123456789', stored)).toBe(true);
    expect(await verifySecret('gw_wrong-secret-0123456789', stored)).toBe(false);
    expect(await verifySecret('gw_right-secret-0123456789', 'not-a-hash')).toBe(false);
  });
});
