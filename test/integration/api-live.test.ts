/**
 * The live stream over real HTTP: Server-Sent Events of alert changes for the caller's care teams
 * only, heartbeat comments, each delivery about a patient in the audit log, and the subscription
 * released when the client hangs up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../contract/index.js';
import { IDS, startApiFixture, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';
import { waitFor } from '../support/wait-for.js';

function alert(id: string, careTeamId: string, patientId: string, revision = 0): AlertMessage {
  return {
    v: 1,
    id,
    patientId,
    careTeamId,
    rule: 'threshold:spo2.spo2',
    audience: 'clinical',
    severity: 'high',
    state: 'open',
    summary: 'SpO2 86 % (below 88 %)',
    openedAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
    revision,
  };
}

interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** A real HTTP client reading an event stream (WHATWG HTML §9.2.6 framing: blocks separated by a blank line). */
class SseClient {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  status = 0;
  contentType = '';

  async open(url: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(url, { headers, signal: this.controller.signal });
    this.status = res.status;
    this.contentType = res.headers.get('content-type') ?? '';
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) this.events.push({ comment: line.slice(1).trim() });
            }
            const fields: SseEvent = {};
            for (const line of block.split('\n')) {
              const m = /^(event|id|data): ?(.*)$/.exec(line);
              if (m) fields[m[1] as 'event' | 'id' | 'data'] = m[2];
            }
            if (fields.event || fields.data) this.events.push(fields);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }

  alerts(): AlertMessage[] {
    return this.events.filter((e) => e.event === 'alert').map((e) => JSON.parse(e.data ?? '{}') as AlertMessage);
  }

  close(): void {
    this.controller.abort();
  }
}

describe('live stream', () => {
  let fx: ApiFixture;
  let base: string;

  beforeAll(async () => {
    fx = await startApiFixture({ liveHeartbeatMs: 100, corsOrigins: ['https://dashboard.example'] });
    base = await fx.listen();
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function connect(user: FixtureUser): Promise<SseClient> {
    const client = new SseClient();
    await client.open(`${base}/api/v1/live`, { ...fx.auth(user), origin: 'https://dashboard.example' });
    return client;
  }

  it("streams alert events of the caller's teams only, with heartbeats and security headers", async () => {
    const listenersBefore = fx.alertEvents.listeners;
    const clinician = await connect('clinician');
    const admin = await connect('admin');
    expect(clinician.status).toBe(200);
    expect(clinician.contentType).toMatch(/^text\/event-stream/);
    await waitFor('both subscribed', () => (fx.alertEvents.listeners === listenersBefore + 2 ? true : undefined));

    fx.alertEvents.publish(alert('a-south', IDS.south, IDS.south1));
    fx.alertEvents.publish(alert('a-north', IDS.north, IDS.north1));
    fx.alertEvents.publish(alert('a-north', IDS.north, IDS.north1, 1));

    await waitFor('north alerts at the clinician', () => (clinician.alerts().length >= 2 ? true : undefined));
    await waitFor('all alerts at the admin', () => (admin.alerts().length >= 3 ? true : undefined));
    expect(clinician.alerts().map((a) => [a.id, a.revision])).toEqual([
      ['a-north', 0],
      ['a-north', 1],
    ]);
    expect(clinician.events.filter((e) => e.event === 'alert').map((e) => e.id)).toEqual(['a-north:0', 'a-north:1']);
    // The wire version is not part of the API's event.
    expect(clinician.alerts()[0]).not.toHaveProperty('v');
    expect(admin.alerts().map((a) => a.id)).toEqual(['a-south', 'a-north', 'a-north']);
    await waitFor('a heartbeat', () => (clinician.events.some((e) => e.comment?.startsWith('heartbeat')) ? true : undefined));
    clinician.close();
    admin.close();
    await waitFor('the subscriptions released', () => (fx.alertEvents.listeners === listenersBefore ? true : undefined));
  });

  it('records the opening of the stream and every delivery about a patient in the audit log', async () => {
    const carer = await connect('carer');
    await waitFor('subscribed', () => (fx.alertEvents.listeners > 0 ? true : undefined));
    fx.alertEvents.publish(alert('a-audit', IDS.north, IDS.north2));
    await waitFor('delivered', () => (carer.alerts().length === 1 ? true : undefined));
    carer.close();
    const res = await fx.app.inject({ method: 'GET', url: '/api/v1/audit?userId=u-carer', headers: fx.auth('admin') });
    const entries = res.json<{ entries: { action: string; patientId: string | null; outcome: string }[] }>().entries;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'live.subscribe', patientId: null, outcome: 'allowed' }),
        expect.objectContaining({ action: 'live.alert', patientId: IDS.north2, outcome: 'allowed' }),
      ]),
    );
  });

  it('refuses the stream without a token, as problem+json', async () => {
    const res = await fetch(`${base}/api/v1/live`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
