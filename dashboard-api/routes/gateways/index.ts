/**
 * GET /api/v1/gateways — the homes' gateways as the hub last heard them: online or offline, last
 * seen, outbox depth, and each device's presence, battery and clock offset. Admins see all;
 * clinicians and carers see the gateways through which their patients' devices report.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { GatewayStateView } from '../../../hub/ingest/gateway-state.js';
import { requirePrincipal } from '../../auth.js';
import { canSee } from '../../patient-access.js';
import { ALL_ROLES } from '../../route-policy.js';
import type { ApiServices } from '../../services.js';
import { GatewaysResponse } from './schemas.js';

/** Missed heartbeats before a gateway that said `online` counts as offline. */
const MISSED_HEARTBEATS = 3;

export function gatewayState(view: GatewayStateView, now: number): { state: 'online' | 'offline'; reason?: string } {
  const status = view.status;
  if (!status) return { state: 'offline', reason: 'never_seen' };
  if (status.state === 'offline') return { state: 'offline', ...(status.reason && { reason: status.reason }) };
  const seen = view.statusReceivedAt ? Date.parse(view.statusReceivedAt) : 0;
  if (status.heartbeatS && now - seen > MISSED_HEARTBEATS * status.heartbeatS * 1000) return { state: 'offline', reason: 'heartbeat_missed' };
  return { state: 'online' };
}

export const gatewaysRoutes =
  (services: Pick<ApiServices, 'gateways' | 'devices' | 'patients'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/gateways',
      {
        config: { roles: ALL_ROLES, audit: { action: 'gateways.read' } },
        schema: { summary: 'Gateways and their devices', tags: ['gateways'], response: { 200: GatewaysResponse } },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const now = new Date();
        const visible = new Map<string, boolean>();
        const isVisible = async (patientId: string) => {
          if (!visible.has(patientId)) {
            const patient = await services.patients.getPatient(patientId);
            visible.set(patientId, patient !== undefined && canSee(principal, patient));
          }
          return visible.get(patientId) === true;
        };
        const gateways = [];
        for (const [id, view] of [...services.gateways.all()].sort(([a], [b]) => a.localeCompare(b))) {
          const devices = view.devices?.devices ?? [];
          const patientIds = new Set<string>();
          for (const d of devices) {
            const patientId = await services.devices.resolvePatient(d.deviceId, undefined, now);
            if (patientId && (await isVisible(patientId))) patientIds.add(patientId);
          }
          if (principal.role !== 'admin' && patientIds.size === 0) continue;
          const status = view.status;
          gateways.push({
            id,
            ...gatewayState(view, now.getTime()),
            lastSeenAt: view.statusReceivedAt ?? view.devices?.at ?? new Date(0).toISOString(),
            ...(status?.heartbeatS !== undefined && { heartbeatS: status.heartbeatS }),
            ...(status?.outboxDepth !== undefined && { outboxDepth: status.outboxDepth }),
            ...(status?.outboxOldestAt !== undefined && { outboxOldestAt: status.outboxOldestAt }),
            ...(status?.bluetooth !== undefined && { bluetooth: status.bluetooth }),
            ...(status?.software !== undefined && { software: status.software }),
            ...(view.devices && { devicesReportedAt: view.devices.at }),
            devices,
            patientIds: [...patientIds].sort(),
          });
        }
        request.auditPatientIds = [...new Set(gateways.flatMap((g) => g.patientIds))];
        return { gateways };
      },
    );
  };
