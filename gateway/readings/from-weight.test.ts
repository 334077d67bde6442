import { describe, expect, it } from 'vitest';
import { Reading } from '../../contract/index.js';
import { readingContext } from '../../test/fixtures/gatt/reading-context.js';
import { WEIGHT_VECTORS } from '../../test/fixtures/gatt/weight-scale.js';
import { readingsFromWeight } from './from-weight.js';

const byName = (n: string) => WEIGHT_VECTORS.find((v) => v.name.startsWith(n))!;

describe('readingsFromWeight', () => {
  it('stores kg as sent', () => {
    const v = byName('70.0 kg with time stamp');
    const [r] = readingsFromWeight(v.expected, readingContext(v.hex));
    expect(r).toMatchObject({ kind: 'body_weight', components: [{ name: 'weight', code: '29463-7', value: 70, unit: 'kg' }], deviceTime: '2023-12-25T14:30:45' });
    expect(r!.id).toMatch(/^h-/);
    expect(Reading.safeParse(r).success).toBe(true);
  });

  it('converts lb with the exact pound (157 lb = 71.214 kg) and keeps the user index', () => {
    const v = byName('imperial, all fields');
    const [r] = readingsFromWeight(v.expected, readingContext(v.hex));
    expect(r!.components[0]!.value).toBe(71.214);
    expect(r!.device.userIndex).toBe(3);
  });

  it('gives different users of one scale different stable ids for the same weight and time', () => {
    const v = byName('70.0 kg with time stamp');
    const a = readingsFromWeight({ ...v.expected, userId: 1 }, readingContext(v.hex))[0]!;
    const b = readingsFromWeight({ ...v.expected, userId: 2 }, readingContext(v.hex))[0]!;
    expect(a.id).not.toBe(b.id);
  });

  it('makes nothing of an unsuccessful measurement', () => {
    const v = byName('measurement unsuccessful');
    expect(readingsFromWeight(v.expected, readingContext(v.hex))).toEqual([]);
  });
});
