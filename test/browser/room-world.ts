/**
 * The world of the community-room page tests: the hub as `rpm-hub serve` runs it (broker, ingest,
 * InfluxDB, PGlite registry, alert engine, the API serving the built web application), one care
 * team with residents, a staff member (carer) and an admin, and a community room whose gateway has a
 * shared cuff, oximeter, thermometer and scale, assigned to nobody: firmware-sim's ScenarioRunner
 * publishes what they measure over MQTT, and the room's check-in session says whose it is. The room
 * has a kiosk link (1-minute check-ins, so a test can wait for the timeout) and resident B a card.
 */
import { startHubServer, type RunningHubServer } from '../../bin/compose-hub.js';
import { DEVICES, type ScenarioEvent } from '../../firmware-sim/physiology/scenarios/scenario.js';
import { ScenarioRunner, SimClock } from '../../firmware-sim/scenario-runner.js';
import type { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { formatCode } from '../../hub/rooms/checkin-code.js';
import { KioskAccess } from '../../hub/rooms/kiosk.js';
import { RoomSessions } from '../../hub/rooms/room-sessions.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { openBrowserHubBase } from '../support/browser-hub.js';
import { tempDir } from '../support/temp-dir.js';

export const ROOM = { id: 'room-naesaaker', name: 'Hälsorummet Näsåker' } as const;
export const TEAM = 'team-room';
export const RESIDENTS = {
  a: { id: 'p-room-a', name: 'Åkesson, Astrid' },
  b: { id: 'p-room-b', name: 'Bæk, Bent' },
  c: { id: 'p-room-c', name: 'Carlsson, Cecilia' },
} as const;
export type RoomUser = 'staff' | 'admin';

export interface RoomVitals {
  readonly systolic: number;
  readonly diastolic: number;
  readonly pulse: number;
  readonly spo2: number;
  readonly temperature: number;
  readonly weight: number;
}

export class RoomWorld {
  server!: RunningHubServer;
  registry!: SqlRegistry;
  readonly tokens = {} as Record<RoomUser, string>;
  /** The kiosk page's address: /app/kiosk/<token>. */
  kioskPath = '';
  /** Resident B's card. */
  codeOfB = '';
  private closeRegistry: (() => Promise<void>) | undefined;
  private gatewaySecret = '';
  private runner: ScenarioRunner | undefined;
  private readonly clock = new SimClock(new Date(Date.now() - 60_000));
  private readonly events: ScenarioEvent[] = [];

  get baseUrl(): string {
    return this.server.api.url;
  }

  async start(): Promise<void> {
    const dir = (await tempDir('room-world')).path;
    const influx = await freshInfluxDatabase('room');
    const base = await openBrowserHubBase(dir, influx.database);
    this.registry = base.registry;
    this.closeRegistry = base.closeRegistry;
    await this.seed();
    this.server = await startHubServer(base.config, base.registry, base.log);
    this.runner = new ScenarioRunner(
      { name: 'room-live', description: 'the room’s shared devices, measured as the tests need', start: this.clock.now(), durationMs: 86_400_000, devices: [], rules: {}, expected: [], events: this.events },
      { mqttUrl: `mqtt://127.0.0.1:${this.server.hub.mqttPort}`, gatewayId: ROOM.id, secret: this.gatewaySecret, clock: this.clock, stepMs: 60_000, heartbeatS: 3600, afterStep: async () => {} },
    );
    await this.runner.connect();
  }

  private async seed(): Promise<void> {
    const r = this.registry;
    await r.createCareTeam({ id: TEAM, displayName: 'Näsåker' });
    for (const p of Object.values(RESIDENTS)) {
      await r.createPatient({ id: p.id, careTeamId: TEAM, displayName: p.name, conditionGroups: ['copd'], timeZone: 'Europe/Stockholm' });
    }
    await r.createUser({ id: 'u-room-staff', displayName: 'Undersköterska', role: 'carer', careTeamIds: [TEAM] });
    await r.createUser({ id: 'u-room-admin', displayName: 'Admin', role: 'admin', careTeamIds: [] });
    this.tokens.staff = (await r.createToken({ userId: 'u-room-staff', expiresInSeconds: 3600 })).token;
    this.tokens.admin = (await r.createToken({ userId: 'u-room-admin', expiresInSeconds: 3600 })).token;
    this.gatewaySecret = (await r.createGateway({ id: ROOM.id })).secret;
    // The shared devices are assigned to nobody: only a check-in session makes their readings someone's.
    await new RoomSessions(r.db).createRoom({ gatewayId: ROOM.id, displayName: ROOM.name });
    const kiosk = new KioskAccess(r.db);
    this.kioskPath = `/app/kiosk/${(await kiosk.createLink({ gatewayId: ROOM.id, label: 'surfplatta vid dörren', sessionMinutes: 1, createdBy: 'u-room-admin' })).token}`;
    this.codeOfB = formatCode((await kiosk.issueCode({ patientId: RESIDENTS.b.id, createdBy: 'u-room-staff' })).code);
  }

  /** One round on the room’s devices, measured now (so after the check-in), published over MQTT (QoS 1). */
  async measure(v: RoomVitals): Promise<void> {
    const last = this.events.at(-1)?.at.getTime() ?? 0;
    const start = Math.max(Date.now(), last + 10);
    const at = (ms: number) => new Date(start + ms);
    const map = Math.round(v.diastolic + (v.systolic - v.diastolic) / 3);
    this.events.push(
      { type: 'reading', at: at(0), kind: 'body_weight', deviceId: DEVICES.scale.deviceId, values: { weight: v.weight } },
      { type: 'reading', at: at(1), kind: 'blood_pressure', deviceId: DEVICES.cuff.deviceId, values: { systolic: v.systolic, diastolic: v.diastolic, meanArterialPressure: map } },
      { type: 'reading', at: at(1), kind: 'heart_rate', deviceId: DEVICES.cuff.deviceId, values: { heartRate: v.pulse } },
      { type: 'reading', at: at(2), kind: 'spo2', deviceId: DEVICES.oximeter.deviceId, values: { spo2: v.spo2 } },
      { type: 'reading', at: at(3), kind: 'body_temperature', deviceId: DEVICES.thermometer.deviceId, values: { temperature: v.temperature } },
    );
    await this.runner!.runUntil(new Date(start + 4), 60_000);
  }

  async close(): Promise<void> {
    await this.runner?.disconnect().catch(() => undefined);
    await this.server?.close();
    await this.closeRegistry?.();
  }
}
