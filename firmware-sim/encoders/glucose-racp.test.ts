import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRacpRequest, decodeRacpResponse, encodeRacpRequest, RACP_OP_CODES, RACP_RESPONSE_CODES, type RacpRequest, type RacpResponse } from '../../gateway/profiles/record-access-control-point.js';
import { enumOf, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { RACP_NUMBER_OF_RECORDS_VECTOR, RACP_REQUEST_VECTORS, RACP_RESPONSE_VECTORS } from '../../test/fixtures/gatt/device-and-time.js';
import { fuzzSeed } from '../../test/fixtures/gatt/decoder-suite.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { bytes, hexOf } from '../../test/fixtures/gatt/vector.js';
import { encodeRacpResponse, parseRacpRequest } from './glucose-racp.js';

const response: fc.Arbitrary<RacpResponse> = fc.oneof(
  uint(16).map((numberOfRecords) => ({ opCode: 'numberOfStoredRecordsResponse' as const, numberOfRecords })),
  fc.record({ opCode: fc.constant('responseCode' as const), requestOpCode: enumOf(RACP_OP_CODES, 8), responseCode: enumOf(RACP_RESPONSE_CODES, 8) }),
);

const request: fc.Arbitrary<RacpRequest> = fc.oneof(
  fc.constant({ opCode: 'abortOperation' as const }),
  fc.record({
    opCode: fc.constantFrom('reportStoredRecords' as const, 'reportNumberOfStoredRecords' as const),
    filter: fc.oneof(
      fc.constantFrom('allRecords' as const, 'firstRecord' as const, 'lastRecord' as const).map((operator) => ({ operator })),
      fc.record({ operator: fc.constantFrom('greaterThanOrEqualTo' as const, 'lessThanOrEqualTo' as const), sequenceNumber: uint(16) }),
      fc.record({ operator: fc.constant('withinRange' as const), from: uint(16), to: uint(16) }),
    ),
  }),
);

roundTripSuite('RACP responses (simulated meter)', decodeRacpResponse, encodeRacpResponse, [...RACP_RESPONSE_VECTORS, RACP_NUMBER_OF_RECORDS_VECTOR], response);
roundTripSuite('RACP requests (gateway)', decodeRacpRequest, encodeRacpRequest, RACP_REQUEST_VECTORS, request);

// ---- Literal wire values: no gateway decoder or table in the loop ----------------------------------

const NORDIC_RACP_DATA = 'NordicSemiconductor/Android-BLE-Common-Library ble-common/src/main/java/no/nordicsemi/android/ble/common/data/RecordAccessControlPointData.java';

describe('encodeRacpResponse from literal expected values (GLS 1.0 §3.4.1 codes written in this test)', () => {
  it.each([
    ['success', 0x01],
    ['opCodeNotSupported', 0x02],
    ['invalidOperator', 0x03],
    ['operatorNotSupported', 0x04],
    ['invalidOperand', 0x05],
    ['noRecordsFound', 0x06],
    ['abortUnsuccessful', 0x07],
    ['procedureNotCompleted', 0x08],
    ['operandNotSupported', 0x09],
    ['reserved:10', 0x0a],
  ] as const)('response code %s is %i', (responseCode, code) => {
    expect(hexOf(encodeRacpResponse({ opCode: 'responseCode', requestOpCode: 'reportStoredRecords', responseCode }))).toBe(`060001${code.toString(16).padStart(2, '0')}`);
  });

  it.each([
    ['reportStoredRecords', 0x01],
    ['deleteStoredRecords', 0x02],
    ['abortOperation', 0x03],
    ['reportNumberOfStoredRecords', 0x04],
    ['reserved:12', 0x0c],
  ] as const)('request op code %s is echoed as %i', (requestOpCode, code) => {
    expect(hexOf(encodeRacpResponse({ opCode: 'responseCode', requestOpCode, responseCode: 'success' }))).toBe(`0600${code.toString(16).padStart(2, '0')}01`);
  });

  it('258 stored records is 05 00 02 01 (uint16 little-endian)', () => {
    expect(hexOf(encodeRacpResponse({ opCode: 'numberOfStoredRecordsResponse', numberOfRecords: 258 }))).toBe('05000201');
  });
});

describe("the simulated meter's RACP request parser", () => {
  it.each([
    ['01 01', { opCode: 'reportStoredRecords', filter: { operator: 'allRecords' } }, 'reportAllStoredRecords'],
    ['01 05', { opCode: 'reportStoredRecords', filter: { operator: 'firstRecord' } }, 'reportFirstStoredRecord'],
    ['01 06', { opCode: 'reportStoredRecords', filter: { operator: 'lastRecord' } }, 'reportLastStoredRecord'],
    ['01 03 01 2a00', { opCode: 'reportStoredRecords', filter: { operator: 'greaterThanOrEqualTo', sequenceNumber: 42 } }, 'reportStoredRecordsGreaterThenOrEqualTo(int)'],
    ['01 02 01 0a00', { opCode: 'reportStoredRecords', filter: { operator: 'lessThanOrEqualTo', sequenceNumber: 10 } }, 'reportStoredRecordsLessThenOrEqualTo(int)'],
    ['01 04 01 0500 0201', { opCode: 'reportStoredRecords', filter: { operator: 'withinRange', from: 5, to: 258 } }, 'reportStoredRecordsFromRange(int, int)'],
    ['04 01', { opCode: 'reportNumberOfStoredRecords', filter: { operator: 'allRecords' } }, 'reportNumberOfAllStoredRecords'],
    ['04 03 01 0a00', { opCode: 'reportNumberOfStoredRecords', filter: { operator: 'greaterThanOrEqualTo', sequenceNumber: 10 } }, 'reportNumberOfStoredRecordsGreaterThenOrEqualTo(int)'],
    ['03 00', { opCode: 'abortOperation' }, 'abortOperation'],
  ] as const)('reads %s', (hex, request, nordic) => {
    // Octets as Nordic's RecordAccessControlPointData builds them (method named in the title's source).
    expect(parseRacpRequest(bytes(hex)), `${NORDIC_RACP_DATA} ${nordic}`).toEqual({ ok: true, request });
  });

  // Must-reject payloads and the Response Code the meter answers with (GLS 1.0 §3.4.1, §4.9).
  it.each([
    ['', 0, 'opCodeNotSupported', 'empty write'],
    ['02 01', 2, 'opCodeNotSupported', 'delete: this meter never deletes'],
    ['07 01', 7, 'opCodeNotSupported', 'reserved op code'],
    ['01', 1, 'invalidOperator', 'operator missing'],
    ['01 00', 1, 'invalidOperator', 'Null operator on a report'],
    ['01 07', 1, 'operatorNotSupported', 'reserved operator 7'],
    ['03 01', 3, 'invalidOperator', 'abort with an operator other than Null'],
    ['01 03', 1, 'invalidOperand', 'filter type and operand missing'],
    ['01 03 02 0000', 1, 'operandNotSupported', 'filter type 2 (user facing time) not supported'],
    ['01 03 01 2a', 1, 'invalidOperand', 'sequence number cut off'],
    ['01 04 01 0a00 0500', 1, 'invalidOperand', 'range from 10 to 5'],
    ['01 01 00', 1, 'invalidOperand', 'an operand after All records'],
  ] as const)('refuses %s with (%i, %s): %s', (hex, opCode, refusal, _why) => {
    expect(parseRacpRequest(bytes(hex))).toEqual({ ok: false, opCode, refusal });
  });

  it('never throws, and accepts exactly the octets the gateway would write for what it read (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 9 }), request.map(encodeRacpRequest)), (value) => {
        const parsed = parseRacpRequest(value);
        if (parsed.ok) expect(hexOf(encodeRacpRequest(parsed.request))).toBe(hexOf(value));
        else expect(parsed.opCode).toBe(value[0] ?? 0);
      }),
      { seed: fuzzSeed(), numRuns: 2000 },
    );
  });
});
