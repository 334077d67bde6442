/**
 * Personal check-in codes for a community room's kiosk, as printed on a resident's card:
 * `K7QM-4XPD-9RTA`, twelve characters of Crockford's base32 (no I, L, O, U: nothing to confuse on a
 * card read by older eyes). The first four are the code's public id (looked up); the other eight
 * (40 bits) are the secret, kept only as an scrypt hash. Pure: generation takes its random bytes.
 */

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;
export const CODE_ID_LENGTH = 4;

/** A code from 12 random bytes (each taken modulo 32: 256 is a multiple of 32, so no bias). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new RangeError(`need ${CODE_LENGTH} random bytes`);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[bytes[i]! % 32];
  return out;
}

/** For printing: groups of four. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

/**
 * What a resident typed, as the canonical code, or undefined if it cannot be one. Case, spaces and
 * hyphens do not matter; O reads as 0 and I or L as 1 (Crockford's decoding rules).
 */
export function normaliseCode(input: string): string | undefined {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return undefined;
  for (const c of s) if (!CODE_ALPHABET.includes(c)) return undefined;
  return s;
}

export function splitCode(code: string): { id: string; secret: string } {
  return { id: code.slice(0, CODE_ID_LENGTH), secret: code.slice(CODE_ID_LENGTH) };
}
