/**
 * System ID, characteristic 0x2A23 (Device Information Service 0x180A, DIS 1.1 §3.3): an EUI-64 sent
 * least significant octet first: manufacturer-defined identifier (40 bits, octets 0-4) then the
 * Organizationally Unique Identifier (24 bits, octets 5-7). gateway/session/device-info.ts turns the
 * same 8 octets into the device id `eui64-<16 hex digits>`.
 */
import { ByteReader } from './byte-reader.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const SYSTEM_ID_UUID = '2a23';

export interface SystemId {
  /** Most significant octet first, like a printed EUI-64. */
  readonly eui64: string;
  readonly manufacturerIdentifier: string;
  readonly organizationallyUniqueIdentifier: string;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).reverse().toString('hex');

export function decodeSystemId(payload: Uint8Array): DecodeResult<SystemId> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const manufacturer = r.bytesOf('manufacturerIdentifier', 5);
    const oui = r.bytesOf('organizationallyUniqueIdentifier', 3);
    return {
      eui64: hex(payload.subarray(0, 8)),
      manufacturerIdentifier: hex(manufacturer),
      organizationallyUniqueIdentifier: hex(oui),
    };
  });
}
