/** AlertConfigStore and EngineStateStore on SqlDb (migrations 021 and 022). */
import type { DeviceState as ReportedDevice } from '../../contract/index.js';
import type { SqlDb } from '../sql/sql-db.js';
import type { AlertConfigStore, EngineStateStore, PatientFacts, RememberedGateway, StoredConfig } from './config-store.js';

interface ConfigRow {
  config: unknown;
  updated_at: Date;
  updated_by: string;
}

interface GatewayRow {
  gateway_id: string;
  state: 'online' | 'offline';
  state_at: Date;
  last_heartbeat_at: Date | null;
  heartbeat_s: number | null;
  devices: ReportedDevice[];
}

interface PatientRow {
  patient_id: string;
  gateway_id: string | null;
  last_evaluated_at: Date | null;
  news2_total: number | null;
  news2_at: Date | null;
  news2_missing: string[] | null;
}

const LAST_TICK = 'last_tick_at';

function gatewayFromRow(r: GatewayRow): RememberedGateway {
  return {
    gatewayId: r.gateway_id,
    state: r.state,
    stateAt: r.state_at,
    ...(r.last_heartbeat_at ? { lastHeartbeatAt: r.last_heartbeat_at } : {}),
    ...(r.heartbeat_s !== null ? { heartbeatS: r.heartbeat_s } : {}),
    devices: r.devices,
  };
}

/** The two JSON-document tables (fixed names: never from input). */
interface ConfigTable {
  readonly name: string;
  readonly key: string;
}
const PATIENT_RULES: ConfigTable = { name: 'alert_patient_rules', key: 'patient_id' };
const TEAM_ROUTING: ConfigTable = { name: 'alert_team_routing', key: 'care_team_id' };

function storedConfig(row: ConfigRow | undefined): StoredConfig | undefined {
  return row && { config: row.config, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export class SqlAlertConfigStore implements AlertConfigStore, EngineStateStore {
  constructor(private readonly db: SqlDb) {}

  patientRules(patientId: string): Promise<StoredConfig | undefined> {
    return this.readConfig(PATIENT_RULES, patientId);
  }

  setPatientRules(patientId: string, config: unknown, actor: string, at: Date): Promise<void> {
    return this.writeConfig(PATIENT_RULES, patientId, config, actor, at);
  }

  teamRouting(careTeamId: string): Promise<StoredConfig | undefined> {
    return this.readConfig(TEAM_ROUTING, careTeamId);
  }

  setTeamRouting(careTeamId: string, config: unknown, actor: string, at: Date): Promise<void> {
    return this.writeConfig(TEAM_ROUTING, careTeamId, config, actor, at);
  }

  private async readConfig(table: ConfigTable, id: string): Promise<StoredConfig | undefined> {
    return storedConfig((await this.db.query<ConfigRow>(`SELECT config, updated_at, updated_by FROM ${table.name} WHERE ${table.key} = $1`, [id]))[0]);
  }

  /** Replaces the document (upsert); `updated_*` say who and when. */
  private async writeConfig(table: ConfigTable, id: string, config: unknown, actor: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO ${table.name} (${table.key}, config, updated_at, updated_by) VALUES ($1, $2::jsonb, $3, $4)
       ON CONFLICT (${table.key}) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [id, JSON.stringify(config), at, actor],
    );
  }

  async gateways(): Promise<RememberedGateway[]> {
    return (await this.db.query<GatewayRow>('SELECT * FROM alert_gateway_state ORDER BY gateway_id')).map(gatewayFromRow);
  }

  async gateway(gatewayId: string): Promise<RememberedGateway | undefined> {
    const row = (await this.db.query<GatewayRow>('SELECT * FROM alert_gateway_state WHERE gateway_id = $1', [gatewayId]))[0];
    return row && gatewayFromRow(row);
  }

  async rememberGateways(gateways: readonly RememberedGateway[], at: Date): Promise<void> {
    if (gateways.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const g of gateways) {
        await tx.query(
          `INSERT INTO alert_gateway_state (gateway_id, state, state_at, last_heartbeat_at, heartbeat_s, devices, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
           ON CONFLICT (gateway_id) DO UPDATE SET state = EXCLUDED.state, state_at = EXCLUDED.state_at,
             last_heartbeat_at = EXCLUDED.last_heartbeat_at, heartbeat_s = EXCLUDED.heartbeat_s, devices = EXCLUDED.devices, updated_at = EXCLUDED.updated_at`,
          [g.gatewayId, g.state, g.stateAt, g.lastHeartbeatAt ?? null, g.heartbeatS ?? null, JSON.stringify(g.devices), at],
        );
      }
    });
  }

  async patientFacts(patientIds: readonly string[]): Promise<Map<string, PatientFacts>> {
    const out = new Map<string, PatientFacts>();
    if (patientIds.length === 0) return out;
    const rows = await this.db.query<PatientRow>('SELECT * FROM alert_patient_state WHERE patient_id = ANY($1::text[])', [[...patientIds]]);
    for (const r of rows) {
      out.set(r.patient_id, {
        patientId: r.patient_id,
        ...(r.gateway_id ? { gatewayId: r.gateway_id } : {}),
        ...(r.last_evaluated_at ? { lastEvaluatedAt: r.last_evaluated_at } : {}),
        ...(r.news2_total !== null && r.news2_at ? { news2: { total: r.news2_total, at: r.news2_at, missing: r.news2_missing ?? [] } } : {}),
      });
    }
    return out;
  }

  async rememberPatient(f: PatientFacts): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_patient_state (patient_id, gateway_id, last_evaluated_at, news2_total, news2_at, news2_missing)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (patient_id) DO UPDATE SET gateway_id = COALESCE(EXCLUDED.gateway_id, alert_patient_state.gateway_id),
         last_evaluated_at = EXCLUDED.last_evaluated_at,
         news2_total = COALESCE(EXCLUDED.news2_total, alert_patient_state.news2_total),
         news2_at = COALESCE(EXCLUDED.news2_at, alert_patient_state.news2_at),
         news2_missing = COALESCE(EXCLUDED.news2_missing, alert_patient_state.news2_missing)`,
      [f.patientId, f.gatewayId ?? null, f.lastEvaluatedAt ?? null, f.news2?.total ?? null, f.news2?.at ?? null, f.news2 ? JSON.stringify(f.news2.missing) : null],
    );
  }

  async lastTickAt(): Promise<Date | undefined> {
    const rows = await this.db.query<{ value: { at: string } }>('SELECT value FROM alert_engine_state WHERE key = $1', [LAST_TICK]);
    return rows[0] ? new Date(rows[0].value.at) : undefined;
  }

  async setLastTickAt(at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_engine_state (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [LAST_TICK, JSON.stringify({ at: at.toISOString() }), at],
    );
  }
}
