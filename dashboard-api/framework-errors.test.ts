/**
 * Every error fastify can raise maps to a catalogued RPM_ERR_* code, and no detail quotes what the
 * error was built from (fastify's messages embed URLs, content types, names).
 */
import { errorCodes } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from './errors.js';
import { frameworkProblem } from './framework-errors.js';

const MARKER = 'ECHO\u0000<script>p-4711';

describe('fastify errors as catalogued problems', () => {
  const entries = Object.entries(errorCodes as unknown as Record<string, new (...args: unknown[]) => Error & { code: string; statusCode?: number }>);

  it('fastify exports its error classes (the walk below is not empty)', () => {
    expect(entries.length).toBeGreaterThan(50);
  });

  for (const [name, ErrorClass] of entries) {
    it(`${name}: a catalogued code, a detail of ours`, () => {
      const error = new ErrorClass(MARKER, MARKER, MARKER);
      expect(error.code).toBe(name);
      const mapped = frameworkProblem(error);
      expect(mapped).toBeDefined();
      expect(Object.keys(ERROR_CATALOGUE)).toContain(mapped?.code);
      expect(mapped?.detail ?? '').not.toContain('ECHO');
      // Client errors stay client errors; the rest are ours to fix.
      const status = error.statusCode ?? 500;
      if (status >= 500) expect(mapped?.code).toBe('RPM_ERR_INTERNAL');
      else expect(ERROR_CATALOGUE[mapped?.code ?? 'RPM_ERR_INTERNAL'].status).toBeLessThan(500);
    });
  }

  it('the JSON parser’s SyntaxError is a validation error; errors not from fastify are left to the caller', () => {
    const syntax = Object.assign(new SyntaxError(`Unexpected token ${MARKER}`), { statusCode: 400 });
    expect(frameworkProblem(syntax)).toEqual({ code: 'RPM_ERR_VALIDATION', detail: 'the body is not valid JSON' });
    expect(frameworkProblem(new Error(MARKER))).toBeUndefined();
  });
});
