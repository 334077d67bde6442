/**
 * Fetching a glucose meter's stored records through the Record Access Control Point (0x2A52, GLS 1.0
 * §3.4 and §4.9): only the records after the last one already in the outbox ("report stored records,
 * sequence number >= last + 1"), or all of them the first time. The records arrive as Glucose Measurement
 * notifications (subscribed by the session beforehand); the procedure ends with a RACP indication.
 */
import type { GattConnection } from '../ble/adapter.js';
import { CHARACTERISTIC, SERVICE } from '../ble/gatt-uuids.js';
import { decodeRacpResponse, encodeRacpRequest, type RacpRequest } from '../profiles/record-access-control-point.js';

export interface RacpOutcome {
  /** The request as sent, e.g. "reportStoredRecords >= 7" or "reportStoredRecords all". */
  readonly request: string;
  /** GLS response code name ('success', 'noRecordsFound', ...) or 'timeout' / 'disconnected' / 'error: ...'. */
  readonly response: string;
  /** The procedure finished normally: success, or no records to send. */
  readonly complete: boolean;
}

/** GLS sequence numbers are uint16; past the last one there is nothing "greater" to ask for, so ask for all. */
export function racpRequestAfter(lastSequence: number | undefined): RacpRequest {
  if (lastSequence === undefined || lastSequence >= 0xffff) return { opCode: 'reportStoredRecords', filter: { operator: 'allRecords' } };
  return { opCode: 'reportStoredRecords', filter: { operator: 'greaterThanOrEqualTo', sequenceNumber: lastSequence + 1 } };
}

function describe(request: RacpRequest): string {
  if (request.opCode === 'abortOperation') return 'abortOperation';
  const f = request.filter;
  return f.operator === 'greaterThanOrEqualTo' ? `${request.opCode} >= ${f.sequenceNumber}` : `${request.opCode} ${f.operator}`;
}

export async function fetchGlucoseRecords(conn: GattConnection, lastSequence: number | undefined, timeoutMs: number, ended: Promise<void>): Promise<RacpOutcome> {
  const request = racpRequestAfter(lastSequence);
  const label = describe(request);
  let answer: (outcome: RacpOutcome) => void = () => undefined;
  const answered = new Promise<RacpOutcome>((resolve) => {
    answer = resolve;
  });
  await conn.subscribe(SERVICE.glucose, CHARACTERISTIC.recordAccessControlPoint, (value) => {
    const decoded = decodeRacpResponse(value);
    if (!decoded.ok) {
      answer({ request: label, response: `error: ${decoded.reason}`, complete: false });
      return;
    }
    const r = decoded.value;
    // A record count answers a different request; only the response code ends this procedure.
    if (r.opCode !== 'responseCode' || r.requestOpCode !== 'reportStoredRecords') return;
    answer({ request: label, response: r.responseCode, complete: r.responseCode === 'success' || r.responseCode === 'noRecordsFound' });
  });
  await conn.write(SERVICE.glucose, CHARACTERISTIC.recordAccessControlPoint, encodeRacpRequest(request), true);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<RacpOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ request: label, response: 'timeout', complete: false }), timeoutMs);
  });
  try {
    const outcome = await Promise.race([answered, timedOut, ended.then(() => ({ request: label, response: 'disconnected', complete: false }))]);
    if (outcome.response === 'timeout' && conn.connected) {
      // GLS 1.0 §3.4.2.4: abort the procedure so the meter stops sending.
      await conn.write(SERVICE.glucose, CHARACTERISTIC.recordAccessControlPoint, encodeRacpRequest({ opCode: 'abortOperation' }), true).catch(() => undefined);
    }
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
