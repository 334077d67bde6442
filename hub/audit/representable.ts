/**
 * Audit entries carry request-derived text (patient id from the path, route of an unmatched URL,
 * request id header). PostgreSQL and PGlite refuse NUL in text and jsonb, and lone UTF-16
 * surrogates cannot be encoded at all, so one such entry would make its whole batch fail on every
 * retry and jam the log (issue #15). Every string is therefore made representable before it is
 * queued: the unstorable characters are written as a visible escape, and the length is bounded.
 */
import type { AuditEntry } from './audit-entry.js';

/** Longest kept, in UTF-16 code units, of each request-derived field. */
export const AUDIT_FIELD_MAX = { patientId: 128, route: 256, address: 128, requestId: 128, userId: 256, role: 64, action: 128 } as const;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NEEDS_CARE = /[\u0000-\u001f\u007f\ud800-\udfff]/;

function escapeOf(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `s` with NUL, the other C0 controls, DEL and lone surrogates written as `\uXXXX` (so the log shows
 * what was sent), cut to at most `maxLen` code units without splitting a character or an escape.
 * Well-formed surrogate pairs (emoji, rare scripts) are kept. A literal `\u0000` typed by a client
 * reads the same as an escaped NUL; the log records what was asked, not a byte-exact copy.
 */
export function representable(s: string, maxLen: number): string {
  if (s.length <= maxLen && !NEEDS_CARE.test(s)) return s; // the common case: nothing to change
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    let piece: string;
    if (code < 0x20 || code === 0x7f) piece = escapeOf(code);
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        piece = s.slice(i, i + 2);
        i += 1;
      } else piece = escapeOf(code);
    } else if (code >= 0xdc00 && code <= 0xdfff) piece = escapeOf(code);
    else piece = s[i]!;
    if (out.length + piece.length > maxLen) break;
    out += piece;
  }
  return out;
}

/** The entry with every request-derived string representable and bounded. */
export function representableEntry(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    userId: representable(entry.userId, AUDIT_FIELD_MAX.userId),
    role: representable(entry.role, AUDIT_FIELD_MAX.role),
    action: representable(entry.action, AUDIT_FIELD_MAX.action),
    route: representable(entry.route, AUDIT_FIELD_MAX.route),
    patientId: entry.patientId === null ? null : representable(entry.patientId, AUDIT_FIELD_MAX.patientId),
    address: representable(entry.address, AUDIT_FIELD_MAX.address),
    requestId: representable(entry.requestId, AUDIT_FIELD_MAX.requestId),
  };
}
