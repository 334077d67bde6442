import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATES } from '../../../contract/index.js';
import { InstantOut } from '../../common-schemas.js';

/** The `data` of an `alert` event: the contract's AlertMessage without its wire version. */
export const LiveAlertEvent = z.object({
  id: z.string(),
  patientId: z.string().optional(),
  gatewayId: z.string().optional(),
  careTeamId: z.string(),
  rule: z.string(),
  audience: z.enum(['clinical', 'technical']),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(ALERT_STATES),
  summary: z.string(),
  openedAt: InstantOut,
  updatedAt: InstantOut,
  revision: z.number().int(),
});

export const LIVE_DESCRIPTION = `A Server-Sent Events stream (text/event-stream) of alert changes for your care teams (admins: all).
Events: \`alert\` (data: JSON with id, patientId, careTeamId, rule, severity, state, summary, openedAt, updatedAt, revision; the SSE id is \`{alertId}:{revision}\`).
A comment line (\`: heartbeat\`) every 15 s keeps proxies from closing the connection. An \`error\` event ends the stream when the access log cannot record a delivery.`;
