/**
 * The API's services built from the hub's parts: InfluxDB repositories, the registry, the gateway
 * state, the audit log. Composition, so it lives in bin/: the API itself meets the hub through the
 * interfaces of dashboard-api/services.ts only (DESIGN.md, "Layout"). Two flavours: on the SQL registry (deployments), and in memory (tests of
 * other parts and the demo before SQL). The alert engine plugs in its AlertReader and AlertEvents.
 */
import { AuditTrail, type AuditTrailOptions } from '../../hub/audit/audit-trail.js';
import type { AuditStore } from '../../hub/audit/audit-entry.js';
import { MemoryAuditStore } from '../../hub/audit/memory-audit-store.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import type { RegistryAdmin } from '../../hub/registry/registry-admin.js';
import type { DeviceDirectory, PatientSummary, TokenDirectory } from '../../hub/registry/registry.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { createLatestVitalsReader } from '../../hub/storage/latest-vitals.js';
import { cachedLatestVitals } from '../../hub/storage/latest-vitals-cache.js';
import { createReadingsRepository } from '../../hub/storage/readings-repository.js';
import { influxObservationStore } from '../../hub/observations/observation-store.js';
import { KioskAccess } from '../../hub/rooms/kiosk.js';
import type { RoomSessions } from '../../hub/rooms/room-sessions.js';
import { sqlQuestionnaireStore } from '../../hub/questionnaires/sql-questionnaire-store.js';
import { createTrendsRepository } from '../../hub/storage/trends-repository.js';
import { quarantineAssigner, quarantineInbox } from './quarantine.js';
import { sqlPatientStore } from './sql-patient-store.js';
import { ApiError } from '../../dashboard-api/errors.js';
import { InProcessAlertEvents } from '../../dashboard-api/memory/alert-events.js';
import { noAlerts } from '../../dashboard-api/memory/no-alerts.js';
import { MemoryPatientStore } from '../../dashboard-api/memory/patient-store.js';
import type { AlertEvents, AlertReader, ApiServices, DeviceAssigner, GatewayStatusSource, PatientStore } from '../../dashboard-api/services.js';

export interface HubParts {
  readonly influx: InfluxV1Client;
  readonly tokens: TokenDirectory;
  readonly devices: DeviceDirectory;
  readonly gateways: GatewayStatusSource;
  /** Until the alert engine: no alerts, and a bus nobody publishes on. */
  readonly alerts?: AlertReader;
  readonly alertEvents?: AlertEvents;
  readonly audit?: AuditTrailOptions;
  /** For background failures (audit store, latest-vitals sweep); never given patient data. */
  readonly log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

function services(parts: HubParts, patients: PatientStore, auditStore: AuditStore, assigner: DeviceAssigner): ApiServices {
  const latestVitals = cachedLatestVitals(createLatestVitalsReader(parts.influx), {
    onError: (err) => parts.log?.error({ err }, 'latest-vitals sweep failed; requests catch up themselves'),
  });
  latestVitals.start();
  return {
    tokens: parts.tokens,
    patients,
    readings: createReadingsRepository(parts.influx),
    trends: createTrendsRepository(parts.influx),
    latestVitals,
    alerts: parts.alerts ?? noAlerts,
    alertEvents: parts.alertEvents ?? new InProcessAlertEvents(),
    gateways: parts.gateways,
    devices: parts.devices,
    unassigned: quarantineInbox(parts.influx),
    assigner,
    audit: { trail: new AuditTrail(auditStore, { ...(parts.log && { log: parts.log }), ...parts.audit }), store: auditStore },
    observations: influxObservationStore(parts.influx),
  };
}

/** On the SQL registry: patients and the audit log in SQL, assignments through the registry. */
export function sqlApiServices(
  parts: HubParts & { readonly db: SqlDb; readonly registry: Pick<RegistryAdmin, 'assignDevice' | 'listAssignments'>; readonly rooms?: RoomSessions },
): ApiServices {
  const base = { ...services(parts, sqlPatientStore(parts.db), new SqlAuditStore(parts.db), quarantineAssigner(parts.registry, parts.influx)), questionnaires: sqlQuestionnaireStore(parts.db) };
  // The same RoomSessions the hub's ingest reads from, so a check-in is seen by the next reading.
  return parts.rooms ? { ...base, rooms: parts.rooms, kiosk: new KioskAccess(parts.db, parts.rooms.now) } : base;
}

/**
 * In memory: for the demo and other parts' tests with the memory registry. The audit log is kept
 * in memory too (lost on restart), so deployments must use sqlApiServices.
 */
export function memoryApiServices(parts: HubParts & { readonly patients: readonly PatientSummary[] }): ApiServices {
  const assigner: DeviceAssigner = {
    assign() {
      return Promise.reject(new ApiError('RPM_ERR_CONFLICT', 'assigning devices needs the SQL registry; this hub runs on a fixed in-memory registry'));
    },
  };
  return services(parts, new MemoryPatientStore(parts.patients), new MemoryAuditStore(), assigner);
}
