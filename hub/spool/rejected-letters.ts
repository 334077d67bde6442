/** Points InfluxDB refused, as dead letters an admin can list beside the refused MQTT input. */
import { truncatePayload, type DeadLetter } from '../dead-letters/dead-letter-store.js';
import type { RejectedPoint } from './isolate-rejected.js';

/** Line protocol tag values escape ',', '=' and ' ' with a backslash (InfluxDB line protocol reference). */
const GATEWAY_TAG = /,gateway=((?:[^,\\ ]|\\.)*)/;

export function gatewayOfLine(line: string): string {
  const tagsEnd = line.search(/(?<!\\) /);
  const match = GATEWAY_TAG.exec(tagsEnd < 0 ? line : line.slice(0, tagsEnd));
  return match?.[1] ? match[1].replace(/\\(.)/g, '$1') : 'unknown';
}

export function rejectedPointLetters(points: readonly RejectedPoint[], at: Date): DeadLetter[] {
  return points.map((p) => ({
    at: at.toISOString(),
    gatewayId: gatewayOfLine(p.line),
    topic: '',
    reasonCode: 'influx_rejected',
    reason: `InfluxDB refused the point${p.status === undefined ? '' : ` (HTTP ${p.status})`}: ${p.reason}`,
    payload: truncatePayload(p.line),
  }));
}
