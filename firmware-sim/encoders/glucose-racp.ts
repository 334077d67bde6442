/**
 * The simulated meter's side of the Record Access Control Point 0x2A52 (GLS 1.0 §3.4): it reads
 * requests with the gateway's decoder and answers with these responses.
 */
import { enumCode } from '../../gateway/profiles/enums.js';
import { RACP_OP_CODES, RACP_RESPONSE_CODES, type RacpResponse } from '../../gateway/profiles/record-access-control-point.js';
import { ByteWriter } from './byte-writer.js';

export function encodeRacpResponse(response: RacpResponse): Uint8Array {
  if (response.opCode === 'numberOfStoredRecordsResponse') return new ByteWriter().u8(0x05).u8(0x00).u16(response.numberOfRecords).toBytes();
  return new ByteWriter()
    .u8(0x06)
    .u8(0x00)
    .u8(enumCode(RACP_OP_CODES, response.requestOpCode))
    .u8(enumCode(RACP_RESPONSE_CODES, response.responseCode))
    .toBytes();
}
