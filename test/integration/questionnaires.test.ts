/**
 * Questionnaires end to end on real storage (PGlite, InfluxDB) through the real API and the real
 * alert engine: a COPD questionnaire answered with worsening breathlessness and purulent sputum
 * raises the alert its definition names; the FHIR export is a structurally valid
 * QuestionnaireResponse bundle; a scheduled questionnaire nobody answered raises a missing alert
 * with cause "resident did not answer"; bad input (impossible values, unknown versions, another
 * team's patient, replayed or expired answer links) is a problem+json and stores nothing.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlApiServices } from '../../bin/api-services/compose-services.js';
import { COPD_SYMPTOMS } from '../../contract/questionnaires/defaults.js';
import { questionnaireCanonical } from '../../contract/questionnaires/definition.js';
import { buildApp } from '../../dashboard-api/app.js';
import { alertManagement } from '../../hub/alerts/alert-api.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import { registryRules } from '../../hub/alerts/patient-rules.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { PgliteDb } from '../../hub/sql/pglite-db.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { freshPglite } from '../support/sql-fixture.js';

let db: PgliteDb;
let app: FastifyInstance;
let alerts: AlertService;
let registry: SqlRegistry;
const tokens: Record<string, string> = {};
const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
const HOUR = 3_600_000;

async function settle(patientId: string): Promise<void> {
  alerts.engine.onStored([patientId]);
  await alerts.settled();
  await alerts.engine.tick();
  await alerts.settled();
}

async function alertsOf(patientId: string) {
  return (await alerts.store.list({ careTeamIds: 'all', limit: 100 })).filter((a) => a.patientId === patientId);
}

async function responseCount(): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM questionnaire_responses');
  return row!.n;
}

const copdAnswers = (over: Record<string, unknown> = {}) => [
  { linkId: 'breathless', value: over.breathless ?? true },
  { linkId: 'sputum-more', value: over['sputum-more'] ?? false },
  { linkId: 'sputum-colour', value: over['sputum-colour'] ?? 'green' },
  { linkId: 'reliever-doses', value: over['reliever-doses'] ?? 6 },
];

beforeAll(async () => {
  const influx = await freshInfluxDatabase('questionnaires');
  db = await freshPglite();
  registry = new SqlRegistry(db);
  await registry.createCareTeam({ id: 'team-north', displayName: 'North' });
  await registry.createCareTeam({ id: 'team-south', displayName: 'South' });
  await registry.createPatient({ id: 'p-karin', careTeamId: 'team-north', displayName: 'Lindqvist, Karin', conditionGroups: ['copd'], timeZone: 'Europe/Stockholm' });
  await registry.createPatient({ id: 'p-bo', careTeamId: 'team-north', displayName: 'Hansen, Bo', conditionGroups: ['heart_failure'], timeZone: 'Europe/Copenhagen' });
  await registry.createPatient({ id: 'p-south', careTeamId: 'team-south', displayName: 'Berg, Clara', conditionGroups: ['copd'] });
  for (const [name, role, teams] of [
    ['admin', 'admin', []],
    ['nurse', 'clinician', ['team-north']],
    ['carer', 'carer', ['team-north']],
  ] as const) {
    await registry.createUser({ id: `u-${name}`, displayName: name, role, careTeamIds: [...teams] });
    tokens[name] = (await registry.createToken({ userId: `u-${name}`, expiresInSeconds: 3600 })).token;
  }
  const gateways = new GatewayStateStore();
  const base = sqlApiServices({ influx, tokens: registry, devices: registry, gateways, db, registry, audit: { flushEveryMs: 2 } });
  alerts = createAlertService({ db, influx, maxEvaluationsPerSecond: 100_000, patients: base.patients, rules: registryRules(db), gateways, log: pino({ level: 'silent' }) });
  const management = alertManagement(alerts);
  app = await buildApp({ ...base, alerts: management, alertManagement: management }, { authFailuresPerMinute: 1000, webRoot: false });
});

afterAll(async () => {
  await app?.close();
  await alerts?.stop();
  await db?.close();
});

describe('questionnaire definitions', () => {
  it('lists the shipped COPD and heart-failure questionnaires, each question and rule citing its source', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/questionnaires', headers: auth('carer') });
    expect(res.statusCode).toBe(200);
    const list = res.json<{ questionnaires: { id: string; version: number; shipped: boolean; questions: { source: string }[]; rules: { source: string }[] }[] }>().questionnaires;
    expect(list.map((d) => `${d.id}|${d.version}|${d.shipped}`)).toEqual(['copd-symptoms|1|true', 'heart-failure-symptoms|1|true']);
    for (const d of list) for (const x of [...d.questions, ...d.rules]) expect(x.source.length).toBeGreaterThan(10);
  });

  it('an admin adds an organisation questionnaire without code; its version is immutable; a broken one is refused with the field named', async () => {
    const mine = { ...COPD_SYMPTOMS, id: 'naesaaker-wellbeing', version: 1, title: { da: 'Trivsel', sv: 'Välmående', en: 'Wellbeing' }, scores: [], rules: [], questions: [COPD_SYMPTOMS.questions[0]!] };
    const ok = await app.inject({ method: 'POST', url: '/api/v1/questionnaires', headers: auth('admin'), payload: mine });
    expect(ok.statusCode).toBe(201);
    const again = await app.inject({ method: 'POST', url: '/api/v1/questionnaires', headers: auth('admin'), payload: { ...mine, title: { da: 'x', sv: 'x', en: 'x' } } });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    const shipped = await app.inject({ method: 'POST', url: '/api/v1/questionnaires', headers: auth('admin'), payload: COPD_SYMPTOMS });
    expect(shipped.statusCode).toBe(409);
    const broken = await app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires',
      headers: auth('admin'),
      payload: { ...mine, version: 2, rules: [{ ruleId: 'x', when: { all: [{ linkId: 'no-such', equals: true }] }, severity: 'high', summary: 'x x x', source: 'a source of ten chars' }] },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ detail: string }>().detail).toContain('no question "no-such"');
    const carer = await app.inject({ method: 'POST', url: '/api/v1/questionnaires', headers: auth('carer'), payload: { ...mine, version: 3 } });
    expect(carer.statusCode).toBe(403);
    const got = await app.inject({ method: 'GET', url: '/api/v1/questionnaires/naesaaker-wellbeing/versions/1', headers: auth('carer') });
    expect(got.json<{ title: { en: string }; shipped: boolean }>()).toMatchObject({ title: { en: 'Wellbeing' }, shipped: false });
  });
});

describe('answers, alerts and the FHIR export', () => {
  let responseId = '';

  it('a COPD questionnaire answered with worsening breathlessness and purulent sputum raises anthonisen-type-2, as its definition names', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/patients/p-karin/questionnaire-responses', headers: auth('carer'), payload: { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers() } });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; channel: string; enteredBy: string; enteredRole: string; scores: Record<string, number>; matchedRules: { ruleId: string }[] }>();
    responseId = body.id;
    expect(body).toMatchObject({ channel: 'staff', enteredBy: 'u-carer', enteredRole: 'carer', scores: { anthonisen: 2 } });
    expect(body.matchedRules.map((r) => r.ruleId)).toEqual(['anthonisen-type-2']);
    await settle('p-karin');
    const list = await alertsOf('p-karin');
    const alert = list.find((a) => a.ruleId === 'questionnaire:copd-symptoms:anthonisen-type-2');
    expect(alert).toMatchObject({ state: 'open', severity: 'high' });
    expect(alert!.summary).toContain('Anthonisen type 2');
    expect(alert!.evidence.readingIds).toEqual([responseId]);
    expect(alert!.evidence.values).toMatchObject({ questionnaire: 'copd-symptoms', version: 1, 'score.anthonisen': 2 });
    // Only the rule the answers meet.
    expect(list.filter((a) => a.ruleId.startsWith('questionnaire:')).map((a) => a.ruleId)).toEqual(['questionnaire:copd-symptoms:anthonisen-type-2']);
  });

  it('newer answers without the symptoms clear it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/patients/p-karin/questionnaire-responses', headers: auth('nurse'), payload: { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers({ breathless: false, 'sputum-colour': 'clear' }) } });
    expect(res.statusCode).toBe(201);
    await settle('p-karin');
    expect((await alertsOf('p-karin')).find((a) => a.ruleId === 'questionnaire:copd-symptoms:anthonisen-type-2')?.state).toBe('resolved');
  });

  it('answers are listed for the patient page, newest first', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/patients/p-karin/questionnaire-responses', headers: auth('carer') });
    expect(res.statusCode).toBe(200);
    const list = res.json<{ responses: { id: string; scores: Record<string, number> }[] }>().responses;
    expect(list).toHaveLength(2);
    expect(list[1]!.id).toBe(responseId);
    expect(list.map((r) => r.scores.anthonisen)).toEqual([0, 2]);
  });

  it('the FHIR export: QuestionnaireResponse with canonical|version, linkIds of the definition, value types of the question types', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/patients/p-karin/fhir/questionnaire-responses', headers: auth('nurse') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const bundle = res.json<{ resourceType: string; type: string; entry: { fullUrl: string; resource: Record<string, unknown> }[] }>();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(2);
    const linkIds = new Set(COPD_SYMPTOMS.questions.map((q) => q.linkId));
    const typeOf = new Map(COPD_SYMPTOMS.questions.map((q) => [q.linkId, q.type]));
    const valueKey = { boolean: 'valueBoolean', choice: 'valueCoding', integer: 'valueInteger', text: 'valueString' } as const;
    for (const { fullUrl, resource } of bundle.entry) {
      expect(fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(resource).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: questionnaireCanonical('copd-symptoms', 1), subject: { reference: 'Patient/p-karin' } });
      expect(String(resource.questionnaire)).toMatch(/^urn:rpm-hub:questionnaire:copd-symptoms\|1$/);
      expect(resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(Number.isNaN(Date.parse(String(resource.authored)))).toBe(false);
      const items = resource.item as { linkId: string; text: string; answer: Record<string, unknown>[] }[];
      expect(items.length).toBe(4);
      for (const item of items) {
        expect(linkIds.has(item.linkId)).toBe(true);
        expect(item.answer).toHaveLength(1);
        const keys = Object.keys(item.answer[0]!);
        expect(keys).toEqual([valueKey[typeOf.get(item.linkId)!]]);
      }
      const colour = items.find((i) => i.linkId === 'sputum-colour')!.answer[0]!.valueCoding as { system: string; code: string; display: string };
      expect(colour.system).toBe('urn:rpm-hub:questionnaire:copd-symptoms:sputum-colour');
      expect(typeof items.find((i) => i.linkId === 'reliever-doses')!.answer[0]!.valueInteger).toBe('number');
      expect(resource.author).toMatchObject({ identifier: { system: 'urn:rpm-hub:user-id' } });
    }
    const carer = await app.inject({ method: 'GET', url: '/api/v1/patients/p-karin/fhir/questionnaire-responses', headers: auth('carer') });
    expect(carer.statusCode).toBe(403);
  });

  it('every read and write of answers is in the audit log', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/audit?patientId=p-karin', headers: auth('admin') });
    const actions = new Set(res.json<{ entries: { action: string }[] }>().entries.map((e) => e.action));
    for (const a of ['questionnaire-response.enter', 'questionnaire-responses.read', 'export.fhir-questionnaire-responses']) expect(actions.has(a)).toBe(true);
  });
});

describe('a scheduled questionnaire nobody answered', () => {
  it('raises a missing alert with cause "resident did not answer", and an answer clears it', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/patients/p-bo/alert-rules',
      headers: auth('nurse'),
      payload: { conditionGroups: ['heart_failure'], monitoringSince: new Date(Date.now() - 5 * HOUR).toISOString(), questionnaires: [{ questionnaire: 'heart-failure-symptoms', type: 'interval', everyHours: 2, graceMinutes: 30 }] },
    });
    expect(put.statusCode).toBe(200);
    await settle('p-bo');
    const missing = (await alertsOf('p-bo')).find((a) => a.ruleId === 'missing-questionnaire:heart-failure-symptoms');
    expect(missing).toMatchObject({ state: 'open', cause: 'resident_did_not_answer', audience: 'clinical' });
    expect(missing!.summary).toContain('resident did not answer');
    const link = await app.inject({ method: 'POST', url: '/api/v1/patients/p-bo/questionnaire-links', headers: auth('carer'), payload: { questionnaire: 'heart-failure-symptoms' } });
    const { token } = link.json<{ token: string }>();
    const answer = await app.inject({
      method: 'POST',
      url: `/api/v1/answer-links/${token}`,
      payload: { answers: [ { linkId: 'ankle-swelling', value: false }, { linkId: 'orthopnoea', value: false }, { linkId: 'night-breathless', value: false }, { linkId: 'weight-gain', value: false }, { linkId: 'breathless-when', value: 'not' } ] },
    });
    expect(answer.statusCode).toBe(201);
    await settle('p-bo');
    expect((await alertsOf('p-bo')).find((a) => a.ruleId === 'missing-questionnaire:heart-failure-symptoms')?.state).toBe('resolved');
  });

  it('a schedule naming a questionnaire wrongly is refused by the rule config', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/v1/patients/p-bo/alert-rules', headers: auth('nurse'), payload: { questionnaires: [{ questionnaire: 'Not An Id', type: 'daily', by: '25:00' }] } });
    expect(put.statusCode).toBe(400);
  });
});

describe('answer links', () => {
  it('the resident opens the link without signing in and sees only the first name; the answers are stored once; a replay is 410', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/patients/p-karin/questionnaire-links', headers: auth('carer'), payload: { questionnaire: 'copd-symptoms', minutes: 30 } });
    expect(made.statusCode).toBe(201);
    const link = made.json<{ token: string; path: string; version: number }>();
    expect(link.path).toBe(`/app/q/${link.token}`);
    expect(link.version).toBe(1);
    const [stored] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM questionnaire_links WHERE token_sha256 = $1 OR id = $1', [link.token]);
    expect(stored!.n).toBe(0);
    const view = await app.inject({ method: 'GET', url: `/api/v1/answer-links/${link.token}` });
    expect(view.statusCode).toBe(200);
    const v = view.json<{ firstName: string; questionnaire: { id: string; questions: unknown[]; rules?: unknown } }>();
    expect(v.firstName).toBe('Karin');
    expect(view.body).not.toContain('Lindqvist');
    expect(view.body).not.toContain('p-karin');
    expect(v.questionnaire.rules).toBeUndefined();
    const before = await responseCount();
    const sent = await app.inject({ method: 'POST', url: `/api/v1/answer-links/${link.token}`, payload: { answers: copdAnswers({ 'sputum-more': true }) } });
    expect(sent.statusCode).toBe(201);
    expect(await responseCount()).toBe(before + 1);
    const replay = await app.inject({ method: 'POST', url: `/api/v1/answer-links/${link.token}`, payload: { answers: copdAnswers() } });
    expect(replay.statusCode).toBe(410);
    expect(replay.json()).toMatchObject({ code: 'RPM_ERR_LINK_USED' });
    expect(replay.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ method: 'GET', url: `/api/v1/answer-links/${link.token}` })).statusCode).toBe(410);
    expect(await responseCount()).toBe(before + 1);
    await settle('p-karin');
    expect((await alertsOf('p-karin')).find((a) => a.ruleId === 'questionnaire:copd-symptoms:anthonisen-type-1')?.state).toBe('open');
    const list = (await app.inject({ method: 'GET', url: '/api/v1/patients/p-karin/questionnaire-responses', headers: auth('carer') })).json<{ responses: { channel: string }[] }>();
    expect(list.responses[0]!.channel).toBe('resident');
    const audit = await app.inject({ method: 'GET', url: '/api/v1/audit?patientId=p-karin', headers: auth('admin') });
    const entries = audit.json<{ entries: { action: string; userId: string; role: string }[] }>().entries;
    expect(entries.some((e) => e.action === 'questionnaire-response.answer' && e.userId.startsWith('link:ql_') && e.role === 'resident')).toBe(true);
  });

  it('an expired link is 410 RPM_ERR_LINK_EXPIRED and stores nothing; an unknown one 404', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/patients/p-karin/questionnaire-links', headers: auth('carer'), payload: { questionnaire: 'copd-symptoms', minutes: 5 } });
    const { token } = made.json<{ token: string }>();
    await db.query("UPDATE questionnaire_links SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE used_at IS NULL");
    const before = await responseCount();
    const late = await app.inject({ method: 'POST', url: `/api/v1/answer-links/${token}`, payload: { answers: copdAnswers() } });
    expect(late.statusCode).toBe(410);
    expect(late.json()).toMatchObject({ code: 'RPM_ERR_LINK_EXPIRED' });
    expect(await responseCount()).toBe(before);
    const unknown = await app.inject({ method: 'GET', url: `/api/v1/answer-links/${'x'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('bad input stores nothing', () => {
  const post = (user: string, patientId: string, payload: unknown) => app.inject({ method: 'POST', url: `/api/v1/patients/${patientId}/questionnaire-responses`, headers: auth(user), payload: payload as Record<string, unknown> });

  it.each([
    ['an impossible integer', { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers({ 'reliever-doses': 400 }) }, 'body.answers[3].value'],
    ['a choice that is not an option', { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers({ 'sputum-colour': 'purple' }) }, 'body.answers[2].value'],
    ['a yes/no answered with text', { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers({ breathless: 'yes' }) }, 'body.answers[0].value'],
    ['a missing required answer', { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers().slice(1) }, 'body.answers'],
    ['a question the version does not have', { questionnaire: 'copd-symptoms', version: 1, answers: [...copdAnswers(), { linkId: 'mood', value: true }] }, 'body.answers[4].linkId'],
    ['an unknown version', { questionnaire: 'copd-symptoms', version: 7, answers: copdAnswers() }, 'body.version'],
    ['an unknown questionnaire', { questionnaire: 'no-such', version: 1, answers: copdAnswers() }, 'body.questionnaire'],
    ['an answer time in the future', { questionnaire: 'copd-symptoms', version: 1, answeredAt: new Date(Date.now() + 3 * HOUR).toISOString(), answers: copdAnswers() }, 'body.answeredAt'],
  ])('%s: 400 naming %s', async (_name, payload, path) => {
    const before = await responseCount();
    const res = await post('nurse', 'p-karin', payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ code: string; errors: { path: string }[] }>();
    expect(problem.code).toBe('RPM_ERR_VALIDATION');
    expect(problem.errors.map((e) => e.path)).toContain(path);
    expect(await responseCount()).toBe(before);
  });

  it('a patient of another team is 404 for entries, lists and links', async () => {
    const before = await responseCount();
    const res = await post('nurse', 'p-south', { questionnaire: 'copd-symptoms', version: 1, answers: copdAnswers() });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ method: 'GET', url: '/api/v1/patients/p-south/questionnaire-responses', headers: auth('nurse') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/patients/p-south/questionnaire-links', headers: auth('carer'), payload: { questionnaire: 'copd-symptoms' } })).statusCode).toBe(404);
    expect(await responseCount()).toBe(before);
  });

  it('impossible values through an answer link are refused and leave the link usable', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/patients/p-karin/questionnaire-links', headers: auth('carer'), payload: { questionnaire: 'copd-symptoms' } });
    const { token } = made.json<{ token: string }>();
    const before = await responseCount();
    const bad = await app.inject({ method: 'POST', url: `/api/v1/answer-links/${token}`, payload: { answers: copdAnswers({ 'reliever-doses': -3 }) } });
    expect(bad.statusCode).toBe(400);
    expect(await responseCount()).toBe(before);
    expect((await app.inject({ method: 'GET', url: `/api/v1/answer-links/${token}` })).statusCode).toBe(200);
  });
});
