import { describe, expect, it } from 'vitest';
import { PART_ERROR_CODES, partErrorOf } from './part-errors.js';

describe('partErrorOf', () => {
  it('reads the code an error carries, whatever its class', () => {
    class Elsewhere extends Error {
      readonly partError = 'conflict';
    }
    expect(partErrorOf(new Elsewhere('x'))).toBe('conflict');
    expect(partErrorOf({ partError: 'storage_unavailable' })).toBe('storage_unavailable');
  });

  it('gives undefined for errors without a code, or with one outside the catalogue', () => {
    expect(partErrorOf(new Error('plain'))).toBeUndefined();
    expect(partErrorOf({ partError: 'teapot' })).toBeUndefined();
    expect(partErrorOf(null)).toBeUndefined();
    expect(partErrorOf('conflict')).toBeUndefined();
  });

  it('keeps its codes stable (they are an interface between parts)', () => {
    expect(PART_ERROR_CODES).toEqual(['invalid_input', 'conflict', 'storage_unavailable', 'audit_unavailable']);
  });
});
