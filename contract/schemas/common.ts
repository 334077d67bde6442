import { z } from 'zod';

/** Wire format version carried by every payload, so the hub can accept old gateways during an upgrade. */
export const WIRE_VERSION = 1 as const;

/** An ISO 8601 instant in UTC with a 'Z' suffix: the only time format on the wire. */
export const UtcInstant = z.iso.datetime({ offset: false });
/**
 * The pattern UtcInstant checks, through zod's public `z.regexes` (the same regex z.iso.datetime
 * builds), for code that checks by hand (hub/ingest/fast-split.ts) without reading zod's internals.
 */
export const UTC_INSTANT_PATTERN: RegExp = z.regexes.datetime({ offset: false });

/** Ids that name things in topics and stores. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
export const Identifier = z.string().regex(IDENTIFIER_PATTERN, 'expected 1-128 characters of A-Z a-z 0-9 _ . : -');

/** Renders a zod error as one line that names each offending field, e.g. `readings[2].components[0].value: expected number`. */
export function describeIssues(error: z.ZodError, prefix: readonly (string | number)[] = []): string {
  return error.issues
    .map((issue) => {
      const path = formatPath([...prefix, ...(issue.path as (string | number)[])]);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** safeParse with a one-line reason instead of a ZodError. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeIssues(result.error) };
}

/** Parses JSON from an MQTT payload without throwing. */
export function parseJson(payload: Uint8Array | string): Parsed<unknown> {
  try {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: `payload is not valid JSON: ${(err as Error).message}` };
  }
}
