/**
 * The hypertensive crisis through the real gateway, in real time: a firmware-sim cuff encodes the
 * Blood Pressure Measurement bytes, the gateway decodes them, keeps them in its outbox and publishes
 * over MQTT, the hub stores them in InfluxDB, the alert engine evaluates and the outbox pages the
 * nurse's webhook. (The accelerated scenarios speak MQTT as the gateway; this one is the whole path.)
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import type { RunningGateway } from '../../gateway/main.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import { MemoryRegistry } from '../../hub/registry/memory-registry.js';
import { hashSecret } from '../../hub/registry/secrets.js';
import type { PgliteDb } from '../../hub/sql/pglite-db.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { startTestGateway } from '../support/gateway-fixture.js';
import { freshPglite } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { Receivers, WORLD, defaultRouting } from './scenario-harness.js';

describe('hypertensive crisis through the real gateway', { timeout: 60_000 }, () => {
  const cuff = new SimBloodPressureCuff({ address: 'c0:ff:ee:00:0a:01', serial: 'BPC-CRISIS', timeZone: 'Europe/Copenhagen' });
  const receivers = new Receivers();
  let hub: RunningHub;
  let alerts: AlertService;
  let db: PgliteDb;
  let gateway: RunningGateway;
  let dirs: { path: string; remove: () => Promise<void> }[] = [];

  beforeAll(async () => {
    const hubDir = await tempDir('crisis-hub');
    const gwDir = await tempDir('crisis-gw');
    dirs = [hubDir, gwDir];
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const influx = await freshInfluxDatabase('crisis');
    const registry = new MemoryRegistry({
      gateways: [{ id: WORLD.gatewayId, secretHash: await hashSecret(WORLD.gatewaySecret) }],
      patients: [{ id: WORLD.patientId, careTeamId: WORLD.careTeamId, displayName: 'Crisis Resident' }],
      assignments: [{ deviceId: 'sn-BPC-CRISIS', patientId: WORLD.patientId, from: '2020-01-01T00:00:00Z' }],
    });
    db = await freshPglite();
    await receivers.start();
    const hook: { alerts?: AlertService } = {};
    hub = await startHub({ dataDir: hubDir.path, mqtt: { host: '127.0.0.1', port: 0 }, influx, registry, log, onStored: (ids) => hook.alerts?.onStored(ids) });
    alerts = createAlertService({
      db,
      influx,
      patients: { getPatient: (id) => registry.getPatient(id), listPatients: async () => [(await registry.getPatient(WORLD.patientId))!] },
      gateways: hub.gatewayState,
      aedes: hub.broker.aedes,
      log,
    });
    hook.alerts = alerts;
    await alerts.config.setTeamRouting(WORLD.careTeamId, defaultRouting(receivers), 'u-admin', new Date());
    await alerts.start();
    gateway = await startTestGateway(new SimulatedBleAdapter([cuff], { advertiseEveryMs: 50 }), {
      gatewayId: WORLD.gatewayId,
      secret: WORLD.gatewaySecret,
      hubUrl: `mqtt://127.0.0.1:${hub.mqttPort}`,
      dataDir: gwDir.path,
      timeZone: 'Europe/Copenhagen',
      devices: [{ address: cuff.address }],
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await alerts?.stop();
    await hub?.close();
    await db?.close();
    await receivers.stop();
    for (const d of dirs) await d.remove();
  });

  it('232/128 mmHg measured on the cuff pages the nurse, signed, at high severity', async () => {
    cuff.measure({ systolic: 232, diastolic: 128, pulseRate: 96 });
    const page = await waitFor('the nurse to be paged', () => receivers.pages.find((p) => p.tier === 'nurse' && p.body.alert.rule === 'threshold:blood_pressure.systolic'), 30_000);
    expect(page.body).toMatchObject({ reason: 'opened', tier: 1, tierName: 'on-duty nurse', alert: { severity: 'high', state: 'open', patientId: WORLD.patientId, careTeamId: WORLD.careTeamId } });
    expect(page.body.alert.summary).toContain('232 mmHg');
    expect(page.headers['x-rpm-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const [alert] = await alerts.store.list({ careTeamIds: 'all', ruleId: 'threshold:blood_pressure.systolic', limit: 1 });
    expect(alert?.evidence.readingIds.length).toBe(1);
  });
});
