/**
 * The contract every notification channel satisfies, as one suite each channel's test runs with its
 * own harness (as MQTT.js runs abstractStoreTest for every store). Imported by *.test.ts only.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { AlertMessage } from '../../contract/index.js';
import type { Channel, ChannelName, NotificationPayload, OutboxItem, TargetJson } from './notification.js';

export interface Received {
  /** The notification id the receiver saw (idempotency key, message id), when the channel carries one. */
  readonly notificationId?: string;
  readonly alert: Pick<AlertMessage, 'id' | 'revision' | 'summary' | 'severity'>;
}

export interface ChannelHarness {
  readonly channel: Channel;
  /** Where the harness's receiver listens, as a target of this channel. */
  readonly target: TargetJson;
  /** Everything the receiver got so far. */
  received(): Promise<readonly Received[]>;
  /** Takes the receiver away (server down, broker closed, bus failing). */
  breakReceiver(): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

export function testItem(channel: ChannelName, target: TargetJson, extra: Partial<AlertMessage> = {}): OutboxItem {
  seq++;
  const id = `nt-contract-${seq}`;
  const alert: AlertMessage = {
    v: 1,
    id: `al-contract-${seq}`,
    patientId: 'p-1001',
    careTeamId: 'team-north',
    rule: 'threshold:blood_pressure.systolic',
    audience: 'clinical',
    severity: 'high',
    state: 'open',
    summary: 'Systolic BP 192 mmHg (>= 180) at 08:14',
    openedAt: '2026-03-02T08:14:00.000Z',
    updatedAt: '2026-03-02T08:14:00.000Z',
    revision: 1,
    ...extra,
  };
  const payload: NotificationPayload = { v: 1, notificationId: id, reason: 'opened', tier: 1, tierName: 'on-duty nurse', alert, link: `https://dashboard.example.org/alerts/${alert.id}` };
  const now = new Date('2026-03-02T08:14:01Z');
  return { id, alertId: alert.id, alertRevision: alert.revision, channel, reason: 'opened', tier: 1, tierName: 'on-duty nurse', target, payload, createdAt: now, notBefore: now, attempts: 0 };
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function channelContract(name: ChannelName, build: () => Promise<ChannelHarness>): void {
  describe(`channel contract: ${name}`, () => {
    let h: ChannelHarness;
    beforeEach(async () => {
      h = await build();
    });
    afterEach(async () => {
      await h.close();
    });

    it('names itself', () => {
      expect(h.channel.name).toBe(name);
    });

    it('delivers the alert and says so', async () => {
      const item = testItem(name, h.target);
      expect((await h.channel.send(item)).outcome).toBe('delivered');
      const got = await eventually('the receiver to get it', async () => (await h.received()).find((r) => r.alert.id === item.alertId));
      expect(got.alert).toMatchObject({ id: item.alertId, revision: 1, severity: 'high', summary: 'Systolic BP 192 mmHg (>= 180) at 08:14' });
      if (got.notificationId !== undefined) expect(got.notificationId).toBe(item.id);
    });

    it('sends a retried notification with the same identity, so receivers can drop the duplicate', async () => {
      const item = testItem(name, h.target);
      await h.channel.send(item);
      await h.channel.send({ ...item, attempts: 1 });
      const got = await eventually('both copies', async () => {
        const all = (await h.received()).filter((r) => r.alert.id === item.alertId);
        return all.length >= 2 ? all : undefined;
      });
      expect(new Set(got.map((r) => `${r.notificationId ?? ''}|${r.alert.revision}`)).size).toBe(1);
    });

    it('reports a missing receiver as a result to retry, never by throwing', async () => {
      await h.breakReceiver();
      const result = await h.channel.send(testItem(name, h.target));
      expect(result.outcome).toBe('retry');
      if (result.outcome !== 'delivered') expect(result.error.length).toBeGreaterThan(0);
    });
  });
}
