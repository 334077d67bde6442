/**
 * Stable reading ids. Where the device gives a time stamp or sequence number, the id is a hash of
 * device identity, user index, kind, that time or sequence, and the raw value bytes (the HL7 PHD
 * guide's approach): a cuff that re-sends its whole memory at every connection yields the same ids.
 * Otherwise the id is a ULID made once on first receipt and kept in the outbox with the reading.
 */
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

export interface StableIdInput {
  readonly deviceId: string;
  readonly userIndex: number | undefined;
  readonly kind: string;
  /** The device's own time stamp (local, as sent) or sequence number. */
  readonly deviceTimeOrSequence: string;
  readonly rawValue: Uint8Array;
}

export function stableReadingId(input: StableIdInput): string {
  const hash = createHash('sha256')
    .update(input.deviceId)
    .update('\x00')
    .update(input.userIndex === undefined ? '' : String(input.userIndex))
    .update('\x00')
    .update(input.kind)
    .update('\x00')
    .update(input.deviceTimeOrSequence)
    .update('\x00')
    .update(input.rawValue)
    .digest('base64url');
  // 128 bits are plenty to tell readings apart; the prefix says how the id was made.
  return `h-${hash.slice(0, 22)}`;
}

export function receiptReadingId(now = Date.now()): string {
  return `u-${ulid(now)}`;
}
