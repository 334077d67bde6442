/**
 * Opaque cursors for keyset pagination. A cursor names the last item of the previous page by its
 * time and id, so pages stay stable while new data arrives (no offsets that shift). Clients must
 * treat it as opaque: base64url of a small versioned JSON document.
 */
import { z } from 'zod';
import { ApiError } from './errors.js';

export interface CursorPosition {
  /** Epoch milliseconds of the last item returned. */
  readonly t: number;
  /** Its id, the tie-breaker for items with the same time. */
  readonly id: string;
}

const CursorDoc = z.object({ v: z.literal(1), t: z.number().int().min(0), id: z.string().min(1).max(200) }).strict();

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, t: position.t, id: position.id }), 'utf8').toString('base64url');
}

/** The position in a cursor, or a validation error naming the query field. */
export function decodeCursor(cursor: string, field = 'querystring.cursor'): CursorPosition {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = CursorDoc.safeParse(json);
  if (!parsed.success) {
    throw new ApiError('RPM_ERR_VALIDATION', `${field}: not a cursor returned by this API`, [{ path: field, message: 'not a cursor returned by this API' }]);
  }
  return { t: parsed.data.t, id: parsed.data.id };
}

/** Query-string schema of a cursor: base64url characters only, so junk is refused before decoding. */
export const CursorParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}$/, 'expected a cursor returned by this API')
  .describe('Opaque cursor from `nextCursor` of the previous page');
