/**
 * 1,000 malformed messages interleaved with good ones: every good reading is stored, every bad
 * message or reading is acknowledged (else the gateway would resend it forever), kept as a dead letter
 * and counted by reason on /metrics, nothing of it reaches the log, and the hub goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { metricValue } from '../support/hub-process.js';
import { countsByDevice, readingPayloads, simGateways } from '../support/ingest-load.js';
import { startIngestHub, type IngestHub } from '../support/ingest-hub.js';
import { connectAsGateway } from '../support/mqtt-gateway-client.js';
import { ReliablePublisher } from '../support/reliable-publisher.js';
import { waitFor } from '../support/wait-for.js';

const [gateway] = simGateways(1, 'badin');
const g = gateway!;
type Reading = Record<string, unknown> & { components: { name: string; value: unknown }[]; device: { id: string } };

describe('malformed messages among good ones', () => {
  let fixture: IngestHub;
  beforeAll(async () => {
    fixture = await startIngestHub([g]);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('stores every good reading, keeps and counts every bad one, and keeps serving', { timeout: 120_000 }, async () => {
    const pool = readingPayloads('badin', g, 570, 10, Date.UTC(2026, 2, 1)).map((p) => (JSON.parse(p) as { readings: Reading[] }).readings);
    const envelope = (readings: unknown[], v = 1) => JSON.stringify({ v, sentAt: '2026-03-01T00:00:00.000Z', readings });
    const good = pool.slice(0, 500).map((r) => envelope(r));
    // Secrets and patient ids inside malformed payloads must not leak into the log.
    const invalidJson = Array.from({ length: 400 }, (_, i) =>
      i % 2 === 0 ? `{"v":1,"readings":[{"id":"x${i}","patient":"${g.patientId}","secret":"${g.secret}"` : `${g.patientId} ${g.secret} is not JSON`,
    );
    const invalidEnvelope = Array.from({ length: 300 }, (_, i) => envelope(pool[500]!.slice(0, 1).map((r) => ({ ...r, id: `env-${i}` })), 2));
    const mixed: string[] = [];
    const spare = pool.slice(500, 560).flat();
    for (let i = 0; i < 300; i++) {
      const bad = { ...spare[2 * i]!, id: `bad-${i}`, components: [{ name: 'systolic', code: '8480-6', value: 'high', unit: 'mm[Hg]' }] };
      mixed.push(envelope([spare[2 * i], bad, spare[2 * i + 1]]));
    }
    // Ten more: one reading from a cuff nobody is assigned, one implausible (systolic 400 > 300).
    const flagged = pool.slice(560, 570).map((readings) => {
      readings[0]!.device = { id: 'sn-not-assigned' };
      readings[1]!.components[0]!.value = 400;
      return envelope(readings);
    });
    const malformed = [...invalidJson, ...invalidEnvelope, ...mixed];
    expect(malformed).toHaveLength(1000);
    const messages: string[] = [];
    for (let i = 0; i < 1000; i++) {
      messages.push(malformed[i]!);
      if (i % 2 === 0) messages.push(good[i / 2]!);
    }
    messages.push(...flagged);

    const publisher = new ReliablePublisher({ url: fixture.mqttUrl, gatewayId: g.gatewayId, secret: g.secret, topic: topics.readings(g.gatewayId), window: 20 }, messages);
    await publisher.run();
    // One connection: no bad message made the hub drop it, and every one was acknowledged.
    expect(publisher.connections).toBe(1);
    expect(publisher.ackedCount).toBe(messages.length);

    const goodReadings = 500 * 10 + 300 * 2 + 10 * 10;
    await waitFor('an empty spool', async () => (metricValue(await fixture.metrics(), 'rpm_spool_pending_points') === 0 ? true : undefined));
    const counts = await countsByDevice(fixture.influx);
    expect(counts.get(g.deviceId)).toEqual({ points: goodReadings - 10, distinctIds: goodReadings - 10 });
    expect(counts.get('sn-not-assigned')).toEqual({ points: 10, distinctIds: 10 });

    const text = await fixture.metrics();
    expect(metricValue(text, 'rpm_ingest_refused_total', 'reason="invalid_json"')).toBe(400);
    expect(metricValue(text, 'rpm_ingest_refused_total', 'reason="invalid_envelope"')).toBe(300);
    expect(metricValue(text, 'rpm_ingest_refused_total', 'reason="invalid_reading"')).toBe(300);
    expect(metricValue(text, 'rpm_mqtt_messages_received_total')).toBe(messages.length);
    expect(metricValue(text, 'rpm_readings_received_total')).toBe(5000 + 300 * 3 + 100);
    expect(metricValue(text, 'rpm_readings_stored_total')).toBe(goodReadings);
    expect(metricValue(text, 'rpm_readings_unassigned_total')).toBe(10);
    expect(metricValue(text, 'rpm_readings_implausible_total')).toBe(10);
    expect(metricValue(text, 'rpm_influx_points_written_total')).toBe(goodReadings);
    expect(metricValue(text, 'rpm_puback_latency_seconds_count', 'outcome="acked"')).toBe(messages.length);

    const letters = await fixture.hub.deadLetters.list(5000);
    expect(letters).toHaveLength(1000);
    const byReason = new Map<string, number>();
    for (const l of letters) byReason.set(l.reasonCode, (byReason.get(l.reasonCode) ?? 0) + 1);
    expect(Object.fromEntries(byReason)).toEqual({ invalid_json: 400, invalid_envelope: 300, invalid_reading: 300 });
    expect(letters.find((l) => l.reasonCode === 'invalid_reading')?.reason).toMatch(/^readings\[1\]\.components\[0\]\.value: .*expected number/);
    expect(letters.find((l) => l.reasonCode === 'invalid_envelope')?.reason).toContain('v');

    // Still serving: healthy, ready, and a new connection's readings are stored.
    expect((await fetch(`${fixture.opsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${fixture.opsUrl}/readyz`)).status).toBe(200);
    const client = await connectAsGateway(fixture.mqttUrl, g.gatewayId, g.secret);
    await client.publishAsync(topics.readings(g.gatewayId), readingPayloads('badin-after', g, 1, 10, Date.UTC(2026, 3, 1))[0]!, { qos: 1 });
    await client.endAsync();
    await waitFor('ten more readings', async () => ((await countsByDevice(fixture.influx)).get(g.deviceId)?.points === goodReadings ? true : undefined));

    // The log said what was refused and why, without payloads, secrets or patient ids.
    const refusedLines = fixture.logLines.filter((l) => l.includes('refused input kept as dead letter'));
    expect(refusedLines).toHaveLength(1000);
    for (const line of fixture.logLines) {
      // Not even the excerpt V8 quotes in a JSON.parse error.
      expect(line).not.toContain(g.secret.slice(0, 8));
      expect(line).not.toContain(g.patientId.slice(0, 7));
      expect(line).not.toContain('high');
    }
  });
});
