import { describe, expect, it } from 'vitest';
import { firstNameOf } from './public.js';

describe('firstNameOf: what the answer page may show of a resident', () => {
  it.each([
    ['Lindqvist, Karin', 'Karin'],
    ['Ørsted, Åse Marie', 'Åse'],
    ['Karin Lindqvist', 'Karin'],
    ['  Bo  ', 'Bo'],
    ['Hansen,', ''],
  ])('%j → %j', (name, first) => {
    expect(firstNameOf(name)).toBe(first);
  });
});
