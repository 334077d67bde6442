import { TruncatedPayload } from './result.js';

/**
 * A little-endian cursor over a GATT payload (Bluetooth Core: multi-octet fields are little-endian).
 * Every read checks bounds first and names the field it wanted, so a truncated payload is reported
 * as "pulseRate needs 2 bytes at offset 14, payload has 14".
 */
export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(field: string, size: number): number {
    if (this.offset + size > this.bytes.length) {
      throw new TruncatedPayload(`truncated: ${field} needs ${size} byte${size === 1 ? '' : 's'} at offset ${this.offset}, payload has ${this.bytes.length}`);
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  u8(field: string): number {
    return this.bytes[this.need(field, 1)]!;
  }

  u16(field: string): number {
    const at = this.need(field, 2);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }

  s16(field: string): number {
    const v = this.u16(field);
    return v & 0x8000 ? v - 0x10000 : v;
  }

  u24(field: string): number {
    const at = this.need(field, 3);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8) | (this.bytes[at + 2]! << 16);
  }

  u32(field: string): number {
    const at = this.need(field, 4);
    return (this.bytes[at]! | (this.bytes[at + 1]! << 8) | (this.bytes[at + 2]! << 16)) + this.bytes[at + 3]! * 0x1000000;
  }

  bytesOf(field: string, size: number): Uint8Array {
    const at = this.need(field, size);
    return this.bytes.subarray(at, at + size);
  }

  rest(): Uint8Array {
    const at = this.offset;
    this.offset = this.bytes.length;
    return this.bytes.subarray(at);
  }
}
