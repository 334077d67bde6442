/** Hex text as people paste it ("1e 04 00", "1E:04:00", "0x1e0400", "0x1e,0x04") -> bytes. */
import type { DecodeResult } from './result.js';

export function parseHex(text: string): DecodeResult<Uint8Array> {
  const digits = text
    .trim()
    .split(/[\s:,_-]+/)
    .map((token) => token.replace(/^0x/i, ''))
    .join('');
  if (digits.length === 0) return { ok: false, reason: 'bad hex: no bytes given' };
  const bad = /[^0-9a-f]/i.exec(digits);
  if (bad) return { ok: false, reason: `bad hex: "${bad[0]}" is not a hex digit` };
  if (digits.length % 2 !== 0) return { ok: false, reason: `bad hex: odd number of digits (${digits.length})` };
  return { ok: true, value: Uint8Array.from(Buffer.from(digits, 'hex')) };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
