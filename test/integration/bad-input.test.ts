/**
 * Bad input from every side gets a clear error and loses nothing: malformed MQTT payloads, wrong
 * gateway credentials, publishes to another gateway's topic, unknown patients and missing tokens
 * in the API. After all of it the hub still stores good readings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { connectAsGateway, bpReading, readingBatch } from '../support/mqtt-gateway-client.js';
import { FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { waitFor } from '../support/wait-for.js';

describe('bad input', () => {
  let fixture: HubFixture;

  beforeAll(async () => {
    fixture = await startHubFixture();
  });

  afterAll(async () => {
    await fixture?.close();
  });

  async function storedCount(): Promise<number> {
    const series = await fixture.influx.query('SELECT count("systolic") FROM "blood_pressure" WHERE "patient" = $p', { p: FIXTURE.patientId });
    const value = series[0]?.values[0]?.[1];
    return typeof value === 'number' ? value : 0;
  }

  it('acknowledges malformed payloads, keeps them as dead letters with a reason, and stores the good readings around them', async () => {
    const client = await connectAsGateway(fixture.mqttUrl, FIXTURE.gatewayId, FIXTURE.gatewaySecret);
    const topic = topics.readings(FIXTURE.gatewayId);
    const t0 = Date.UTC(2026, 10, 1, 8, 0, 0);
    const good = (i: number) => bpReading(FIXTURE.cuffDeviceId, new Date(t0 + i * 60_000), 120 + (i % 20));
    const badReading = { ...good(1000), components: [{ name: 'systolic', code: '8480-6', value: 'high', unit: 'mm[Hg]' }] };

    // PUBACK arrives for each: a malformed payload must not make the gateway resend it forever.
    await client.publishAsync(topic, readingBatch([good(0), good(1)]), { qos: 1 });
    await client.publishAsync(topic, 'this is not json', { qos: 1 });
    await client.publishAsync(topic, JSON.stringify({ v: 1, readings: 'nope' }), { qos: 1 });
    await client.publishAsync(topic, readingBatch([good(2), badReading, good(3)]), { qos: 1 });
    await client.endAsync();

    // PUBACK means durable in the hub's spool; InfluxDB has the readings moments later.
    await waitFor('the four good readings in InfluxDB', async () => ((await storedCount()) === 4 ? true : undefined));
    expect(await storedCount()).toBe(4);
    const letters = await fixture.hub.deadLetters.list(10);
    expect(letters.map((l) => l.reasonCode).sort()).toEqual(['invalid_envelope', 'invalid_json', 'invalid_reading']);
    const invalidReading = letters.find((l) => l.reasonCode === 'invalid_reading');
    expect(invalidReading?.reason).toContain('readings[1].components[0].value');
    expect(invalidReading?.payload).toContain('"high"');
    expect(letters.find((l) => l.reasonCode === 'invalid_envelope')?.reason).toMatch(/sentAt|readings/);
    expect(fixture.hub.stats.refused.get('invalid_json')).toBe(1);
  });

  it('refuses a wrong gateway password with CONNACK 4 (bad user name or password)', async () => {
    await expect(connectAsGateway(fixture.mqttUrl, FIXTURE.gatewayId, 'wrong-password-wrong-password')).rejects.toMatchObject({ code: 4 });
  });

  it("refuses a client id that would take over another box's session", async () => {
    await expect(connectAsGateway(fixture.mqttUrl, FIXTURE.gatewayId, FIXTURE.gatewaySecret, 'gw-home-0002')).rejects.toMatchObject({ code: 2 });
  });

  it("closes the connection of a gateway publishing on another gateway's topic, storing nothing", async () => {
    const before = await storedCount();
    const client = await connectAsGateway(fixture.mqttUrl, FIXTURE.otherGatewayId, FIXTURE.otherGatewaySecret);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(topics.readings(FIXTURE.gatewayId), readingBatch([bpReading(FIXTURE.cuffDeviceId, new Date(Date.UTC(2026, 10, 2)))]), { qos: 1 });
    await closed;
    await client.endAsync(true);
    expect(await storedCount()).toBe(before);
  });

  it('answers problem+json for a missing token, a bad token and an unknown patient', async () => {
    const url = `${fixture.api.url}/api/v1/patients/${FIXTURE.patientId}/readings?kind=blood_pressure`;
    const noToken = await fetch(url);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await noToken.json()).toMatchObject({ status: 401, code: 'RPM_ERR_UNAUTHENTICATED', detail: 'send Authorization: Bearer <token>' });

    const badToken = await fetch(url, { headers: { authorization: 'Bearer tok_not-a-real-token-000000000000' } });
    expect(await badToken.json()).toMatchObject({ status: 401, code: 'RPM_ERR_UNAUTHENTICATED' });

    const auth = { authorization: `Bearer ${FIXTURE.clinicianToken}` };
    const unknown = await fetch(`${fixture.api.url}/api/v1/patients/p-9999/readings?kind=blood_pressure`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'RPM_ERR_NOT_FOUND', detail: 'no patient p-9999' });

    // Another care team's patient looks exactly like an unknown one.
    const otherTeam = await fetch(`${fixture.api.url}/api/v1/patients/${FIXTURE.otherTeamPatientId}/readings?kind=blood_pressure`, { headers: auth });
    expect(otherTeam.status).toBe(404);

    const badKind = await fetch(`${fixture.api.url}/api/v1/patients/${FIXTURE.patientId}/readings?kind=mood`, { headers: auth });
    expect(badKind.status).toBe(400);
    const problem = (await badKind.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('RPM_ERR_VALIDATION');
    expect(problem.errors[0]?.path).toBe('querystring.kind');

    const wrongMethod = await fetch(url, { method: 'DELETE', headers: auth });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ code: 'RPM_ERR_METHOD_NOT_ALLOWED' });

    const noRoute = await fetch(`${fixture.api.url}/api/v1/nothing-here`, { headers: auth });
    expect(noRoute.status).toBe(404);
    expect(await noRoute.json()).toMatchObject({ code: 'RPM_ERR_ROUTE_NOT_FOUND' });
  });

  it('keeps running and storing good readings after all of that', async () => {
    const before = await storedCount();
    const client = await connectAsGateway(fixture.mqttUrl, FIXTURE.gatewayId, FIXTURE.gatewaySecret);
    await client.publishAsync(topics.readings(FIXTURE.gatewayId), readingBatch([bpReading(FIXTURE.cuffDeviceId, new Date(Date.UTC(2026, 10, 3)))]), { qos: 1 });
    await client.endAsync();
    await waitFor('the new reading', async () => ((await storedCount()) === before + 1 ? true : undefined));
  });
});
