/**
 * The analytics page's own world on top of WebWorld: a care team of two residents without readings
 * (so the engine raises nothing of its own there) and hand-built alerts with known opening and
 * acknowledgement times, written through the alert store as the engine would; a team lead who sees
 * both this team and WebWorld's team-north (whose readings the back-test replays).
 */
import { acknowledge, applyFinding, resolve, snooze, systemEvent, type Transition } from '../../hub/alerts/lifecycle.js';
import { patientSubject, type AlertRecord } from '../../hub/alerts/model.js';
import type { RuleFinding } from '../../hub/alerts/rules/index.js';
import { TEAM, type WebWorld } from './web-world.js';

export const QUALITY_TEAM = 'team-quality';
export const RESIDENTS = {
  bp: { id: 'p-q-1', name: 'Mørch, Ebbe', groups: ['hypertension'] },
  lungs: { id: 'p-q-2', name: 'Åkesson, Lena', groups: ['copd'] },
} as const;
export const LEAD = 'u-web-lead';
/** Suffixed ids: no rule of the engine addresses these alerts, so none clears them while the test runs. */
export const RULES = { systolic: 'threshold:blood_pressure.systolic#hand', spo2: 'threshold:spo2.spo2#hand', missing: 'missing:spo2#hand' } as const;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface HandBuilt {
  readonly id: string;
  readonly patientId: string;
  readonly rule: string;
  readonly severity: 'low' | 'medium' | 'high';
  readonly openedAt: Date;
  /** Seconds to the acknowledgement written with it; undefined: open (acknowledged later, on the page) or never. */
  readonly ackAfterS?: number;
  readonly open: boolean;
}

export async function seedQuality(world: WebWorld): Promise<{ token: string; alerts: readonly HandBuilt[] }> {
  const r = world.registry;
  await r.createCareTeam({ id: QUALITY_TEAM, displayName: 'Quality' });
  for (const p of Object.values(RESIDENTS)) await r.createPatient({ id: p.id, careTeamId: QUALITY_TEAM, displayName: p.name, conditionGroups: [...p.groups], timeZone: 'Europe/Copenhagen' });
  await r.createUser({ id: LEAD, displayName: 'team lead', role: 'clinician', careTeamIds: [TEAM, QUALITY_TEAM] });
  const token = (await r.createToken({ userId: LEAD, expiresInSeconds: 3600 })).token;

  const now = Date.now();
  const store = world.server.alerts!.store;
  const built: HandBuilt[] = [];
  let n = 0;
  const write = async (spec: Omit<HandBuilt, 'id' | 'open'>, steps: (a: AlertRecord) => Transition[], finding: Partial<RuleFinding> = {}) => {
    const id = `al-q-${++n}`;
    const full: RuleFinding = { ruleId: spec.rule, audience: 'clinical', severity: spec.severity, summary: `hand-built ${n}`, evidence: { readingIds: [], values: {} }, condition: 'firing', ...finding };
    const opened = applyFinding(undefined, full, { now: spec.openedAt, subjectKey: patientSubject(spec.patientId), patientId: spec.patientId, careTeamId: QUALITY_TEAM, newId: () => id, homeOffline: false })!;
    let alert = opened.alert;
    const events = [...opened.events];
    const transitions = steps(alert);
    for (const t of transitions) {
      alert = t.alert;
      events.push(...t.events);
    }
    await store.write([{ alert, events, notifications: [] }]);
    built.push({ ...spec, id, open: transitions.length === 0 });
  };
  /** Acknowledged after `s` seconds by the lead, resolved a minute later; the outcome comes later through the API. */
  const ackThenResolve = (s: number) => (a: AlertRecord) => {
    const ack = acknowledge(a, LEAD, new Date(a.openedAt.getTime() + s * 1000));
    return [ack, resolve(ack.alert, LEAD, new Date(a.openedAt.getTime() + s * 1000 + MIN))];
  };
  const at = (ago: number) => new Date(now - ago);

  // 1-4: acknowledged with known times (60, 120, 300, 600 s).
  await write({ patientId: RESIDENTS.bp.id, rule: RULES.systolic, severity: 'high', openedAt: at(10 * DAY), ackAfterS: 60 }, ackThenResolve(60));
  await write({ patientId: RESIDENTS.bp.id, rule: RULES.systolic, severity: 'high', openedAt: at(9 * DAY), ackAfterS: 120 }, ackThenResolve(120));
  await write({ patientId: RESIDENTS.lungs.id, rule: RULES.spo2, severity: 'medium', openedAt: at(8 * DAY), ackAfterS: 300 }, ackThenResolve(300));
  await write({ patientId: RESIDENTS.lungs.id, rule: RULES.spo2, severity: 'medium', openedAt: at(7 * DAY), ackAfterS: 600 }, ackThenResolve(600));
  // 5-6: open; the test acknowledges them on the alert page, with an outcome.
  await write({ patientId: RESIDENTS.bp.id, rule: RULES.systolic, severity: 'medium', openedAt: at(2 * HOUR) }, () => []);
  await write({ patientId: RESIDENTS.lungs.id, rule: RULES.missing, severity: 'low', openedAt: at(3 * HOUR) }, () => [], { cause: 'not_measured' });
  // 7: never acknowledged: snoozed once, escalated once, resolved by the system; no outcome.
  await write({ patientId: RESIDENTS.bp.id, rule: RULES.systolic, severity: 'medium', openedAt: at(5 * DAY) }, (a) => {
    const s = snooze(a, LEAD, new Date(a.openedAt.getTime() + MIN), new Date(a.openedAt.getTime() + 30 * MIN), 'visit planned');
    const esc = systemEvent(s.alert, new Date(a.openedAt.getTime() + 45 * MIN), 'escalated', { tier: 2 });
    return [s, esc, resolve(esc.alert, 'system', new Date(a.openedAt.getTime() + 2 * HOUR))];
  });
  // Outside the period (40 days ago): must not count.
  await write({ patientId: RESIDENTS.bp.id, rule: RULES.systolic, severity: 'high', openedAt: at(40 * DAY), ackAfterS: 5 }, ackThenResolve(5));
  return { token, alerts: built };
}
