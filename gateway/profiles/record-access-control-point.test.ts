import { describe, expect, it } from 'vitest';
import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { RACP_NUMBER_OF_RECORDS_VECTOR, RACP_REQUEST_VECTORS, RACP_RESPONSE_REJECTS, RACP_RESPONSE_VECTORS } from '../../test/fixtures/gatt/device-and-time.js';
import { bytes, hexOf } from '../../test/fixtures/gatt/vector.js';
import { decodeRacpRequest, decodeRacpResponse, encodeRacpRequest } from './record-access-control-point.js';

decoderSuite('Record Access Control Point 0x2A52 responses', decodeRacpResponse, [...RACP_RESPONSE_VECTORS, RACP_NUMBER_OF_RECORDS_VECTOR], RACP_RESPONSE_REJECTS);
decoderSuite('Record Access Control Point 0x2A52 requests', decodeRacpRequest, RACP_REQUEST_VECTORS, [
  { name: 'delete is not offered', source: 'gateway policy: never delete records on a device', hex: '02 01', reason: /invalid opCode: 2 \(deleteStoredRecords\)/ },
  { name: 'user-facing-time filter', source: 'GLS 1.0 §3.4.1 filter type 0x02', hex: '01 03 02 0000', reason: /invalid filterType: 2/ },
  { name: 'sequence number cut off', source: 'GLS 1.0 §3.4.1', hex: '01 03 01 2a', reason: /sequenceNumber needs 2 bytes/ },
]);

describe('encodeRacpRequest', () => {
  it.each(RACP_REQUEST_VECTORS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(hexOf(encodeRacpRequest(v.expected))).toBe(hexOf(bytes(v.hex)));
  });

  it('refuses a sequence number that is not a uint16', () => {
    expect(() => encodeRacpRequest({ opCode: 'reportStoredRecords', filter: { operator: 'greaterThanOrEqualTo', sequenceNumber: 70_000 } })).toThrow(/uint16/);
  });
});
