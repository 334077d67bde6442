/**
 * The alert store, config store and notification outbox on SqlDb, as one suite that runs against
 * PGlite and PostgreSQL (alert-store-pglite.test.ts, alert-store-postgres.test.ts).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { settle } from '../../hub/alerts/escalation.js';
import { applyFinding, acknowledge } from '../../hub/alerts/lifecycle.js';
import { notificationDrafts } from '../../hub/alerts/messages.js';
import { patientSubject } from '../../hub/alerts/model.js';
import { SqlAlertConfigStore } from '../../hub/alerts/sql-config-store.js';
import { SqlAlertStore } from '../../hub/alerts/sql-alert-store.js';
import { AlertConflictError, type AlertWrite, type StoredAlert } from '../../hub/alerts/store.js';
import { T0, ctx, finding, minutesAfter, routing } from '../../hub/alerts/testing.js';
import { SqlOutboxStore } from '../../hub/notify/sql-outbox-store.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';

let ids = 0;
const newId = () => `nt-store-${++ids}`;

/** Opens an alert for `patientId` and rule, with its notifications, as the engine would. */
function opening(patientId: string, extra: Parameters<typeof finding>[0] = {}, at: Date = T0): AlertWrite {
  const t = applyFinding(undefined, finding(extra), ctx(at, { subjectKey: patientSubject(patientId), patientId }))!;
  const s = settle(t, routing(), at);
  return { alert: s.alert, events: s.events, notifications: notificationDrafts(s, { now: at, newId }) };
}

export function alertStoreContract(name: string, openDb: () => Promise<SqlDb>): void {
  describe(`alert store on ${name}`, () => {
    let db: SqlDb;
    let store: SqlAlertStore;
    beforeEach(async () => {
      db = await openDb();
      store = new SqlAlertStore(db);
    });
    afterEach(async () => {
      await db.close();
    });

    it('keeps an alert and its events as written', async () => {
      const w = opening('p-1', { severity: 'high', cause: 'not_measured', ruleId: 'missing:body_weight' });
      await store.write([w]);
      const [got] = await store.activeFor(patientSubject('p-1'));
      expect(got).toEqual({ ...w.alert, version: 1 });
      expect(await store.events(w.alert.id)).toEqual(w.events);
    });

    it('keeps the outcome on the alert and every recording of it in the history', async () => {
      const w = opening('p-1');
      await store.write([w]);
      const read = (await store.get(w.alert.id))!;
      const ack = acknowledge(read, 'u-nurse', minutesAfter(3), undefined, { kind: 'action_taken', action: 'gp_or_hospital_contact', text: 'GP informed' });
      await store.write([{ alert: { ...ack.alert, version: read.version }, events: ack.events, notifications: [] }]);
      const got = (await store.get(w.alert.id))!;
      expect(got.outcome).toEqual({ kind: 'action_taken', action: 'gp_or_hospital_contact', text: 'GP informed', by: 'u-nurse', at: minutesAfter(3) });
      expect((await store.events(w.alert.id)).map((e) => e.type)).toEqual(['opened', 'acknowledged', 'outcome_recorded']);
      // The database refuses an action kind without action_taken.
      await expect(db.query(`UPDATE alerts SET outcome_kind = 'false_alarm' WHERE id = $1`, [w.alert.id])).rejects.toThrow(/alerts_outcome_consistent/);
    });

    it('refuses a second active alert for the same patient and rule', async () => {
      await store.write([opening('p-1')]);
      await expect(store.write([opening('p-1')])).rejects.toBeInstanceOf(AlertConflictError);
      expect(await store.activeFor(patientSubject('p-1'))).toHaveLength(1);
    });

    it('refuses an update based on a stale version, and keeps the winner', async () => {
      const w = opening('p-1');
      await store.write([w]);
      const read = (await store.get(w.alert.id))!;
      const ack = acknowledge(read, 'u-nurse', minutesAfter(1));
      await store.write([{ alert: { ...ack.alert, version: read.version }, events: ack.events, notifications: [] }]);
      const ack2 = acknowledge(read, 'u-other', minutesAfter(2));
      await expect(store.write([{ alert: { ...ack2.alert, version: read.version }, events: ack2.events, notifications: [] }])).rejects.toBeInstanceOf(AlertConflictError);
      expect((await store.get(w.alert.id))?.acknowledgedBy).toBe('u-nurse');
    });

    it('rolls back the whole write when one part fails', async () => {
      const good = opening('p-2');
      await store.write([opening('p-1')]);
      await expect(store.write([good, opening('p-1')])).rejects.toBeInstanceOf(AlertConflictError);
      expect(await store.get(good.alert.id)).toBeUndefined();
      expect(await new SqlOutboxStore(db).forAlert(good.alert.id)).toEqual([]);
    });

    it('keeps the history append-only: the database refuses to change or delete an event', async () => {
      const w = opening('p-1');
      await store.write([w]);
      await expect(db.query(`UPDATE alert_events SET actor = 'someone-else' WHERE alert_id = $1`, [w.alert.id])).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM alert_events WHERE alert_id = $1', [w.alert.id])).rejects.toThrow(/append-only/);
    });

    it('lists by team, state, severity and patient, newest first, with keyset pages', async () => {
      await store.write([opening('p-1', { severity: 'high' }, minutesAfter(1))]);
      await store.write([opening('p-2', { severity: 'low' }, minutesAfter(2))]);
      await store.write([opening('p-3', { severity: 'high', ruleId: 'news2' }, minutesAfter(3))]);
      const all = await store.list({ careTeamIds: ['team-north'], limit: 10 });
      expect(all.map((a) => a.patientId)).toEqual(['p-3', 'p-2', 'p-1']);
      expect((await store.list({ careTeamIds: ['team-north'], severities: ['high'], limit: 10 })).map((a) => a.patientId)).toEqual(['p-3', 'p-1']);
      expect((await store.list({ careTeamIds: ['team-south'], limit: 10 })).length).toBe(0);
      expect((await store.list({ careTeamIds: 'all', patientId: 'p-2', limit: 10 })).map((a) => a.severity)).toEqual(['low']);
      expect((await store.list({ careTeamIds: 'all', states: ['resolved'], limit: 10 })).length).toBe(0);
      const page2 = await store.list({ careTeamIds: 'all', limit: 2, before: { openedAt: all[1]!.openedAt, id: all[1]!.id } });
      expect(page2.map((a) => a.patientId)).toEqual(['p-1']);
    });

    it('finds alerts with an escalation step due', async () => {
      const w = opening('p-1', { severity: 'high' });
      await store.write([w]);
      expect(await store.due(minutesAfter(14), 10)).toEqual([]);
      expect((await store.due(minutesAfter(15), 10)).map((a: StoredAlert) => a.id)).toEqual([w.alert.id]);
    });

    it('names the subjects with an active alert', async () => {
      const gw = opening('p-1');
      await store.write([{ ...gw, alert: { ...gw.alert, subjectKey: 'gateway:home-1', ruleId: 'gateway_offline' } }, opening('p-2')]);
      expect(await store.activeSubjectKeys('gateway')).toEqual(new Set(['gateway:home-1']));
      expect(await store.activeSubjectKeys('patient')).toEqual(new Set(['patient:p-2']));
    });

    it('summarises active paging alerts per patient', async () => {
      await store.write([opening('p-1', { severity: 'low' }), opening('p-1', { severity: 'high', ruleId: 'news2' }), opening('p-2', { severity: 'info' })]);
      expect(await store.activeSummary(['p-1', 'p-2'])).toEqual(new Map([['p-1', { count: 2, highest: 'high' }]]));
    });

    it('puts a change\'s notifications in the outbox; claims lease them; attempts are recorded', async () => {
      const w = opening('p-1', { severity: 'high' });
      await store.write([w]);
      const outbox = new SqlOutboxStore(db);
      const pages = w.notifications.filter((n) => n.channel === 'webhook' || n.channel === 'email');
      expect(pages.length).toBe(2);
      const wall = new Date();
      const claimed = await outbox.claimDue(minutesAfter(0), 10, wall, new Date(wall.getTime() + 60_000));
      expect(claimed.map((c) => c.id).sort()).toEqual(w.notifications.map((n) => n.id).sort());
      expect(claimed[0]!.payload).toEqual(w.notifications.find((n) => n.id === claimed[0]!.id)!.payload);
      // Leased: a second worker gets nothing until the lease ends.
      expect(await outbox.claimDue(minutesAfter(0), 10, wall, new Date(wall.getTime() + 60_000))).toEqual([]);
      const first = claimed[0]!;
      await outbox.recordAttempt({ notificationId: first.id, attempt: 1, startedAt: T0, durationMs: 12, outcome: 'retry', statusCode: 503, error: 'receiver answered 503' }, { status: 'pending', nextAttemptAt: minutesAfter(1) });
      await outbox.recordAttempt({ notificationId: first.id, attempt: 2, startedAt: minutesAfter(1), durationMs: 3, outcome: 'delivered', statusCode: 204 }, { status: 'delivered' });
      expect((await outbox.attempts(first.id)).map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
        [1, 'retry', 503],
        [2, 'delivered', 204],
      ]);
      const row = (await outbox.forAlert(w.alert.id)).find((r) => r.id === first.id)!;
      expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
      // An expired lease makes the others claimable again (a crashed worker).
      const later = new Date(wall.getTime() + 61_000);
      expect((await outbox.claimDue(minutesAfter(0), 10, later, new Date(later.getTime() + 60_000))).length).toBe(claimed.length - 1);
    });

    it('keeps care-team routing, patient rules and engine state', async () => {
      const config = new SqlAlertConfigStore(db);
      await config.setTeamRouting('team-north', { tiers: [] }, 'u-admin', T0);
      await config.setPatientRules('p-1', { schedules: [{ kind: 'body_weight', type: 'daily', by: '10:00' }] }, 'u-nurse', T0);
      expect(await config.teamRouting('team-north')).toEqual({ config: { tiers: [] }, updatedAt: T0, updatedBy: 'u-admin' });
      expect((await config.patientRules('p-1'))?.config).toEqual({ schedules: [{ kind: 'body_weight', type: 'daily', by: '10:00' }] });
      await config.rememberGateways([{ gatewayId: 'home-1', state: 'online', stateAt: T0, lastHeartbeatAt: T0, heartbeatS: 60, devices: [{ deviceId: 'sn-1', present: true, batteryPercent: 9 }] }], T0);
      expect(await config.gateway('home-1')).toEqual({ gatewayId: 'home-1', state: 'online', stateAt: T0, lastHeartbeatAt: T0, heartbeatS: 60, devices: [{ deviceId: 'sn-1', present: true, batteryPercent: 9 }] });
      await config.rememberPatient({ patientId: 'p-1', gatewayId: 'home-1', lastEvaluatedAt: T0, news2: { total: 5, at: T0, missing: ['consciousness'] } });
      await config.rememberPatient({ patientId: 'p-1', lastEvaluatedAt: minutesAfter(5) });
      expect((await config.patientFacts(['p-1'])).get('p-1')).toEqual({ patientId: 'p-1', gatewayId: 'home-1', lastEvaluatedAt: minutesAfter(5), news2: { total: 5, at: T0, missing: ['consciousness'] } });
      await config.setLastTickAt(minutesAfter(7));
      expect(await config.lastTickAt()).toEqual(minutesAfter(7));
    });
  });
}
