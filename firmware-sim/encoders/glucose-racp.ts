/**
 * The simulated meter's side of the Record Access Control Point 0x2A52 (GLS 1.0 §3.4): it parses the
 * requests the gateway writes and answers with these responses. Codes are written here from the
 * specification, not imported from the gateway (wire-codes.ts says why):
 *   request:  op code u8 | operator u8 | [filter type u8 | operand]
 *   response: 0x05 | 0x00 | number of records u16             (Number of Stored Records Response)
 *             0x06 | 0x00 | request op code u8 | response code u8  (Response Code)
 */
import type { RacpRequest, RacpResponse } from '../../gateway/profiles/record-access-control-point.js';
import { ByteWriter } from './byte-writer.js';
import { codeOf, type CodeTable } from './wire-codes.js';

/** GLS 1.0 §3.4.1 Op Code values; 0 and 7-255 reserved. */
const OP_CODE: CodeTable = {
  reportStoredRecords: 0x01,
  deleteStoredRecords: 0x02,
  abortOperation: 0x03,
  reportNumberOfStoredRecords: 0x04,
  numberOfStoredRecordsResponse: 0x05,
  responseCode: 0x06,
};

/** GLS 1.0 §3.4.1 Operator values; 7-255 reserved. */
const OPERATOR = { null: 0x00, allRecords: 0x01, lessThanOrEqualTo: 0x02, greaterThanOrEqualTo: 0x03, withinRange: 0x04, firstRecord: 0x05, lastRecord: 0x06 } as const;

/** GLS 1.0 §3.4.1 Response Code values; 0 and 10-255 reserved. */
const RESPONSE_CODE: CodeTable = {
  success: 0x01,
  opCodeNotSupported: 0x02,
  invalidOperator: 0x03,
  operatorNotSupported: 0x04,
  invalidOperand: 0x05,
  noRecordsFound: 0x06,
  abortUnsuccessful: 0x07,
  procedureNotCompleted: 0x08,
  operandNotSupported: 0x09,
};

/** GLS 1.0 §3.4.1 Filter Type 0x01: sequence number (uint16); 0x02 (user facing time) is not offered here. */
const FILTER_SEQUENCE_NUMBER = 0x01;

export function encodeRacpResponse(response: RacpResponse): Uint8Array {
  if (response.opCode === 'numberOfStoredRecordsResponse') return new ByteWriter().u8(0x05).u8(OPERATOR.null).u16(response.numberOfRecords).toBytes();
  return new ByteWriter()
    .u8(0x06)
    .u8(OPERATOR.null)
    .u8(codeOf('RACP op code', OP_CODE, response.requestOpCode))
    .u8(codeOf('RACP response code', RESPONSE_CODE, response.responseCode))
    .toBytes();
}

/** Why the meter refuses a request: the Response Code it answers with. */
export type RacpRefusal = 'opCodeNotSupported' | 'invalidOperator' | 'operatorNotSupported' | 'invalidOperand' | 'operandNotSupported';

/** A request as the meter reads it, or the Response Code it answers a malformed one with. */
export function parseRacpRequest(value: Uint8Array): { ok: true; request: RacpRequest } | { ok: false; opCode: number; refusal: RacpRefusal } {
  const opCode = value[0];
  const operator = value[1];
  if (opCode === undefined) return { ok: false, opCode: 0, refusal: 'opCodeNotSupported' };
  const refuse = (refusal: RacpRefusal) => ({ ok: false as const, opCode, refusal });
  if (opCode === OP_CODE.abortOperation) return operator === OPERATOR.null && value.length === 2 ? { ok: true, request: { opCode: 'abortOperation' } } : refuse('invalidOperator');
  if (opCode !== OP_CODE.reportStoredRecords && opCode !== OP_CODE.reportNumberOfStoredRecords) return refuse('opCodeNotSupported');
  const name = opCode === OP_CODE.reportStoredRecords ? 'reportStoredRecords' : 'reportNumberOfStoredRecords';
  const u16 = (at: number) => (value[at]! | (value[at + 1]! << 8)) >>> 0;
  switch (operator) {
    case OPERATOR.allRecords:
      return value.length === 2 ? { ok: true, request: { opCode: name, filter: { operator: 'allRecords' } } } : refuse('invalidOperand');
    case OPERATOR.firstRecord:
      return value.length === 2 ? { ok: true, request: { opCode: name, filter: { operator: 'firstRecord' } } } : refuse('invalidOperand');
    case OPERATOR.lastRecord:
      return value.length === 2 ? { ok: true, request: { opCode: name, filter: { operator: 'lastRecord' } } } : refuse('invalidOperand');
    case OPERATOR.lessThanOrEqualTo:
    case OPERATOR.greaterThanOrEqualTo: {
      if (value[2] !== FILTER_SEQUENCE_NUMBER) return refuse(value.length < 3 ? 'invalidOperand' : 'operandNotSupported');
      if (value.length !== 5) return refuse('invalidOperand');
      const op = operator === OPERATOR.lessThanOrEqualTo ? 'lessThanOrEqualTo' : 'greaterThanOrEqualTo';
      return { ok: true, request: { opCode: name, filter: { operator: op, sequenceNumber: u16(3) } } };
    }
    case OPERATOR.withinRange: {
      if (value[2] !== FILTER_SEQUENCE_NUMBER) return refuse(value.length < 3 ? 'invalidOperand' : 'operandNotSupported');
      if (value.length !== 7) return refuse('invalidOperand');
      const from = u16(3);
      const to = u16(5);
      return from <= to ? { ok: true, request: { opCode: name, filter: { operator: 'withinRange', from, to } } } : refuse('invalidOperand');
    }
    case undefined:
    case OPERATOR.null:
      return refuse('invalidOperator');
    default:
      return refuse('operatorNotSupported');
  }
}
