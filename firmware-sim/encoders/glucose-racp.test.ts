import fc from 'fast-check';
import { decodeRacpRequest, decodeRacpResponse, encodeRacpRequest, RACP_OP_CODES, RACP_RESPONSE_CODES, type RacpRequest, type RacpResponse } from '../../gateway/profiles/record-access-control-point.js';
import { enumOf, uint } from '../../test/fixtures/gatt/arbitraries.js';
import { RACP_NUMBER_OF_RECORDS_VECTOR, RACP_REQUEST_VECTORS, RACP_RESPONSE_VECTORS } from '../../test/fixtures/gatt/device-and-time.js';
import { roundTripSuite } from '../../test/fixtures/gatt/round-trip-suite.js';
import { encodeRacpResponse } from './glucose-racp.js';

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
