import { describe, expect, it } from 'vitest';
import { PART_ERROR_CODES, partErrorFieldOf, partErrorOf } from './part-errors.js';

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
    expect(PART_ERROR_CODES).toEqual(['invalid_input', 'conflict', 'not_found', 'storage_unavailable', 'audit_unavailable']);
  });

  it('reads the field an invalid_input error names, and nothing from anything else', () => {
    expect(partErrorFieldOf({ partError: 'invalid_input', partErrorField: 'body.until' })).toBe('body.until');
    expect(partErrorFieldOf({ partError: 'invalid_input', partErrorField: 7 })).toBeUndefined();
    expect(partErrorFieldOf(new Error('plain'))).toBeUndefined();
    expect(partErrorFieldOf(undefined)).toBeUndefined();
  });
});
