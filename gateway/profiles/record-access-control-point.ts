/**
 * Record Access Control Point, characteristic 0x2A52 (GLS 1.0 §3.4 and §4.9; the same procedure serves
 * CGM, PLX and others). The gateway writes a request and the meter indicates a response:
 *   request:  op code u8 | operator u8 | [filter type u8 | operand]
 *   response: 0x05 | 0x00 | number of records u16          (Number of Stored Records Response)
 *             0x06 | 0x00 | request op code u8 | response code u8   (Response Code)
 * Stored records themselves arrive as Glucose Measurement notifications between request and response.
 * The gateway never deletes records on a device (op code 0x02 is not offered): the meter's memory is
 * the patient's, and a re-sent record is recognised by its stable id.
 */
import { ByteReader } from './byte-reader.js';
import { enumName, type EnumTable } from './enums.js';
import { decodeSafely, InvalidPayload, type DecodeResult } from './result.js';

export const RECORD_ACCESS_CONTROL_POINT_UUID = '2a52';

// GLS 1.0 §3.4.1 Op Codes.
export const RACP_OP_CODES: EnumTable = {
  1: 'reportStoredRecords',
  2: 'deleteStoredRecords',
  3: 'abortOperation',
  4: 'reportNumberOfStoredRecords',
  5: 'numberOfStoredRecordsResponse',
  6: 'responseCode',
};

// GLS 1.0 §3.4.1 Operators.
export const RACP_OPERATORS: EnumTable = { 0: 'null', 1: 'allRecords', 2: 'lessThanOrEqualTo', 3: 'greaterThanOrEqualTo', 4: 'withinRange', 5: 'firstRecord', 6: 'lastRecord' };

// GLS 1.0 §3.4.1 Response Code values.
export const RACP_RESPONSE_CODES: EnumTable = {
  1: 'success',
  2: 'opCodeNotSupported',
  3: 'invalidOperator',
  4: 'operatorNotSupported',
  5: 'invalidOperand',
  6: 'noRecordsFound',
  7: 'abortUnsuccessful',
  8: 'procedureNotCompleted',
  9: 'operandNotSupported',
};

/** GLS 1.0 §3.4.1 Filter Type 0x01: sequence number (uint16). */
const FILTER_SEQUENCE_NUMBER = 0x01;

export type RacpFilter =
  | { readonly operator: 'allRecords' | 'firstRecord' | 'lastRecord' }
  | { readonly operator: 'greaterThanOrEqualTo' | 'lessThanOrEqualTo'; readonly sequenceNumber: number }
  | { readonly operator: 'withinRange'; readonly from: number; readonly to: number };

export type RacpRequest =
  | { readonly opCode: 'reportStoredRecords' | 'reportNumberOfStoredRecords'; readonly filter: RacpFilter }
  | { readonly opCode: 'abortOperation' };

export type RacpResponse =
  | { readonly opCode: 'numberOfStoredRecordsResponse'; readonly numberOfRecords: number }
  | { readonly opCode: 'responseCode'; readonly requestOpCode: string; readonly responseCode: string };

const OP = { reportStoredRecords: 0x01, abortOperation: 0x03, reportNumberOfStoredRecords: 0x04 } as const;
const OPERATOR = { allRecords: 1, lessThanOrEqualTo: 2, greaterThanOrEqualTo: 3, withinRange: 4, firstRecord: 5, lastRecord: 6 } as const;

function u16(value: number, what: string): [number, number] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} ${value} is not a uint16`);
  return [value & 0xff, value >> 8];
}

/** Bytes to write to the RACP, e.g. "report stored records >= sequence number 42" = 01 03 01 2a 00. */
export function encodeRacpRequest(request: RacpRequest): Uint8Array {
  if (request.opCode === 'abortOperation') return Uint8Array.of(OP.abortOperation, 0x00); // operator Null
  const { filter } = request;
  const head = [OP[request.opCode], OPERATOR[filter.operator]];
  switch (filter.operator) {
    case 'allRecords':
    case 'firstRecord':
    case 'lastRecord':
      return Uint8Array.from(head);
    case 'greaterThanOrEqualTo':
    case 'lessThanOrEqualTo':
      return Uint8Array.from([...head, FILTER_SEQUENCE_NUMBER, ...u16(filter.sequenceNumber, 'sequenceNumber')]);
    case 'withinRange':
      return Uint8Array.from([...head, FILTER_SEQUENCE_NUMBER, ...u16(filter.from, 'from'), ...u16(filter.to, 'to')]);
  }
}

/** Decodes what the meter indicates on the RACP: a record count or a response code. */
export function decodeRacpResponse(payload: Uint8Array): DecodeResult<RacpResponse> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const opCode = r.u8('opCode');
    const operator = r.u8('operator');
    // GLS 1.0 §3.4.1: responses carry the Null operator.
    if ((opCode === 5 || opCode === 6) && operator !== 0) throw new InvalidPayload(`invalid operator: ${operator} in a response (expected 0, Null)`);
    if (opCode === 5) return { opCode: 'numberOfStoredRecordsResponse', numberOfRecords: r.u16('numberOfRecords') };
    if (opCode === 6) {
      const requestOpCode = enumName(RACP_OP_CODES, r.u8('requestOpCode'));
      return { opCode: 'responseCode', requestOpCode, responseCode: enumName(RACP_RESPONSE_CODES, r.u8('responseCode')) };
    }
    throw new InvalidPayload(`invalid opCode: ${opCode} (${enumName(RACP_OP_CODES, opCode)}) is not a response`);
  });
}

/** Decodes a request as written to the RACP (for `rpm-gateway decode` and the simulated meter). */
export function decodeRacpRequest(payload: Uint8Array): DecodeResult<RacpRequest> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const opCode = r.u8('opCode');
    const operator = r.u8('operator');
    if (opCode === OP.abortOperation) {
      if (operator !== 0) throw new InvalidPayload(`invalid operator: ${operator} for abortOperation (expected 0, Null)`);
      return { opCode: 'abortOperation' };
    }
    if (opCode !== OP.reportStoredRecords && opCode !== OP.reportNumberOfStoredRecords) {
      throw new InvalidPayload(`invalid opCode: ${opCode} (${enumName(RACP_OP_CODES, opCode)}) is not a supported request`);
    }
    const name = opCode === OP.reportStoredRecords ? 'reportStoredRecords' : 'reportNumberOfStoredRecords';
    const operatorName = enumName(RACP_OPERATORS, operator);
    let filter: RacpFilter;
    if (operatorName === 'allRecords' || operatorName === 'firstRecord' || operatorName === 'lastRecord') {
      filter = { operator: operatorName };
    } else if (operatorName === 'greaterThanOrEqualTo' || operatorName === 'lessThanOrEqualTo' || operatorName === 'withinRange') {
      const filterType = r.u8('filterType');
      if (filterType !== FILTER_SEQUENCE_NUMBER) throw new InvalidPayload(`invalid filterType: ${filterType} (only 1, sequence number, is supported)`);
      filter =
        operatorName === 'withinRange'
          ? { operator: operatorName, from: r.u16('from'), to: r.u16('to') }
          : { operator: operatorName, sequenceNumber: r.u16('sequenceNumber') };
    } else {
      throw new InvalidPayload(`invalid operator: ${operator} for ${name}`);
    }
    return { opCode: name, filter };
  });
}
