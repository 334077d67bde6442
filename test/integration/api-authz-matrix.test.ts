/**
 * The authorization matrix: every role × every route × own team / other team gives the expected
 * status, over real HTTP. The table must list every registered /api/v1 route: a new route that is
 * not added here fails the first test, so nobody ships a route whose access nobody decided. The
 * few routes declared public (sign-in) are listed in PUBLIC instead, so making a route public is a
 * decision this file records too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredApiRoutes } from '../../dashboard-api/app.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';

type Role = 'admin' | 'clinician' | 'carer';
type Team = 'own' | 'other';
/** Expected status per role; a pair [own team, other team] where the route concerns one patient. */
type Expect = Readonly<Record<Role, number | readonly [number, number]>>;

interface Row {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  readonly url: string;
  readonly expect: Expect;
  /** The concrete request: path (with query) and body, for this role and team. */
  readonly request: (ctx: { patientId: string; careTeamId: string; team: Team; role: Role; n: number; alertId: string; roomId: string; sessionId: string }) => { path: string; body?: unknown };
  /** Makes a fresh community room for the call (ctx.roomId), with a running session for the call's patient when 'session' (ctx.sessionId). */
  readonly room?: 'empty' | 'session';
  /** Opens a fresh alert for the call's patient first (ctx.alertId), so that one call's action cannot make the next one a 409. */
  readonly alert?: true;
  /** Server-Sent Events: read the status, then hang up. */
  readonly stream?: boolean;
}

const SAME = (status: number): readonly [number, number] => [status, status];
const TEAM_ONLY: Expect = { admin: SAME(200), clinician: [200, 404], carer: [200, 404] };
/** Acting on an alert and changing alert configuration: admins anywhere, clinicians of the team; never carers. */
const CARE_ONLY: Expect = { admin: SAME(200), clinician: [200, 404], carer: SAME(403) };
const webhook = { channel: 'webhook', url: 'http://127.0.0.1:9/nurse', secret: 'matrix-secret-0123456789' };
const q = 'kind=blood_pressure&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

/** Routes that answer without a token (config.public), with what they answer to an anonymous caller. */
const PUBLIC: readonly { method: string; url: string; status: number; body?: unknown }[] = [
  { method: 'POST', url: '/api/v1/session', status: 401, body: { token: 'tok_not-a-real-token-000000' } },
  { method: 'DELETE', url: '/api/v1/session', status: 204 },
  { method: 'GET', url: '/api/v1/session/config', status: 200 },
  // A resident's answer link: the token in the path is the credential (here the pattern itself, not a token: 400).
  { method: 'GET', url: '/api/v1/answer-links/:token', status: 400 },
  { method: 'POST', url: '/api/v1/answer-links/:token', status: 400, body: { answers: [{ linkId: 'breathless', value: true }] } },
  // The kiosk page's routes answer to a kiosk link token in x-kiosk-link (test/integration/kiosk.test.ts); without one: 400 naming the header.
  { method: 'GET', url: '/api/v1/kiosk', status: 400 },
  { method: 'POST', url: '/api/v1/kiosk/sessions', status: 400, body: { code: 'AAAA-BBBB-CCCC' } },
  { method: 'GET', url: '/api/v1/kiosk/session', status: 400 },
  { method: 'POST', url: '/api/v1/kiosk/session/close', status: 400, body: {} },
];

const COPD_ANSWERS = [
  { linkId: 'breathless', value: true },
  { linkId: 'sputum-more', value: false },
  { linkId: 'sputum-colour', value: 'clear' },
  { linkId: 'reliever-doses', value: 2 },
];

const TABLE: readonly Row[] = [
  { method: 'GET', url: '/api/v1/session', expect: { admin: 200, clinician: 200, carer: 200 }, request: () => ({ path: '/api/v1/session' }) },
  { method: 'GET', url: '/api/v1/patients', expect: { admin: 200, clinician: 200, carer: 200 }, request: () => ({ path: '/api/v1/patients' }) },
  {
    method: 'POST',
    url: '/api/v1/patients',
    expect: { admin: SAME(201), clinician: SAME(403), carer: SAME(403) },
    request: ({ team, role, n }) => ({
      path: '/api/v1/patients',
      body: { id: `p-new-${role}-${team}-${n}`, careTeamId: team === 'own' ? IDS.north : IDS.south, displayName: 'New Resident' },
    }),
  },
  { method: 'GET', url: '/api/v1/patients/:patientId', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}` }) },
  {
    method: 'PATCH',
    url: '/api/v1/patients/:patientId',
    expect: { admin: SAME(200), clinician: SAME(403), carer: SAME(403) },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}`, body: { rules: { conditionGroups: ['copd'] } } }),
  },
  { method: 'GET', url: '/api/v1/patients/:patientId/readings', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/readings?${q}` }) },
  { method: 'GET', url: '/api/v1/patients/:patientId/trends', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/trends?${q}&every=1h` }) },
  {
    method: 'GET',
    url: '/api/v1/patients/:patientId/export.csv',
    expect: { admin: SAME(200), clinician: [200, 404], carer: SAME(403) },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/export.csv?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z` }),
  },
  {
    method: 'GET',
    url: '/api/v1/patients/:patientId/fhir',
    expect: { admin: SAME(200), clinician: [200, 404], carer: SAME(403) },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/fhir?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z` }),
  },
  { method: 'GET', url: '/api/v1/gateways', expect: { admin: 200, clinician: 200, carer: 200 }, request: () => ({ path: '/api/v1/gateways' }) },
  { method: 'GET', url: '/api/v1/unassigned', expect: { admin: 200, clinician: 403, carer: 403 }, request: () => ({ path: '/api/v1/unassigned' }) },
  {
    method: 'POST',
    url: '/api/v1/unassigned/assignments',
    expect: { admin: SAME(201), clinician: SAME(403), carer: SAME(403) },
    request: ({ patientId, role, team, n }) => ({
      path: '/api/v1/unassigned/assignments',
      body: { deviceId: `sn-MATRIX-${role}-${team}-${n}`, patientId, from: '2026-01-01T00:00:00Z' },
    }),
  },
  { method: 'GET', url: '/api/v1/live', expect: { admin: 200, clinician: 200, carer: 200 }, stream: true, request: () => ({ path: '/api/v1/live' }) },
  { method: 'GET', url: '/api/v1/audit', expect: { admin: 200, clinician: 403, carer: 403 }, request: () => ({ path: '/api/v1/audit' }) },
  { method: 'GET', url: '/api/v1/alerts', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/alerts?patientId=${patientId}&state=open,acknowledged,resolved` }) },
  { method: 'GET', url: '/api/v1/alerts/:alertId', expect: TEAM_ONLY, alert: true, request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}` }) },
  { method: 'GET', url: '/api/v1/alerts/:alertId/events', expect: TEAM_ONLY, alert: true, request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}/events` }) },
  { method: 'POST', url: '/api/v1/alerts/:alertId/acknowledge', expect: CARE_ONLY, alert: true, request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}/acknowledge`, body: { note: 'calling her' } }) },
  { method: 'POST', url: '/api/v1/alerts/:alertId/resolve', expect: CARE_ONLY, alert: true, request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}/resolve`, body: {} }) },
  {
    method: 'POST',
    url: '/api/v1/alerts/:alertId/outcome',
    expect: CARE_ONLY,
    alert: true,
    request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}/outcome`, body: { outcome: { kind: 'action_taken', action: 'visit' } } }),
  },
  {
    method: 'POST',
    url: '/api/v1/alerts/:alertId/snooze',
    expect: CARE_ONLY,
    alert: true,
    request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}/snooze`, body: { minutes: 60, reason: 'home visit at noon' } }),
  },
  {
    method: 'POST',
    url: '/api/v1/alerts/:alertId/comments',
    expect: { admin: SAME(201), clinician: [201, 404], carer: [201, 404] },
    alert: true,
    request: ({ alertId }) => ({ path: `/api/v1/alerts/${alertId}/comments`, body: { text: 'visited, she is fine' } }),
  },
  { method: 'GET', url: '/api/v1/analytics/alerts', expect: CARE_ONLY, request: ({ careTeamId }) => ({ path: `/api/v1/analytics/alerts?careTeamId=${careTeamId}&groupBy=rule` }) },
  { method: 'GET', url: '/api/v1/analytics/alerts.csv', expect: CARE_ONLY, request: ({ careTeamId }) => ({ path: `/api/v1/analytics/alerts.csv?careTeamId=${careTeamId}` }) },
  {
    method: 'POST',
    url: '/api/v1/backtest',
    expect: CARE_ONLY,
    request: ({ careTeamId, patientId, n }) => ({ path: '/api/v1/backtest', body: { population: n % 2 === 0 ? { careTeamId } : { patientId }, config: { thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 150, severity: 'medium' }] } } } } }),
  },
  { method: 'GET', url: '/api/v1/patients/:patientId/alert-rules', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/alert-rules` }) },
  { method: 'GET', url: '/api/v1/patients/:patientId/alert-rules/effective', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/alert-rules/effective` }) },
  {
    method: 'PUT',
    url: '/api/v1/patients/:patientId/alert-rules',
    expect: CARE_ONLY,
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/alert-rules`, body: { conditionGroups: ['copd'] } }),
  },
  {
    method: 'GET',
    url: '/api/v1/care-teams/:careTeamId/alert-routing',
    expect: TEAM_ONLY,
    request: ({ careTeamId }) => ({ path: `/api/v1/care-teams/${careTeamId}/alert-routing` }),
  },
  {
    method: 'PUT',
    url: '/api/v1/care-teams/:careTeamId/alert-routing',
    expect: CARE_ONLY,
    request: ({ careTeamId }) => ({ path: `/api/v1/care-teams/${careTeamId}/alert-routing`, body: { tiers: [{ name: 'on-duty nurse', targets: [webhook] }] } }),
  },  // Observations entered by people: every role of the team (health assistants measure too).
  {
    method: 'POST',
    url: '/api/v1/patients/:patientId/observations',
    expect: { admin: SAME(201), clinician: [201, 404], carer: [201, 404] },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/observations`, body: { observedAt: new Date(Date.now() - 60_000).toISOString(), respiratoryRate: 18 } }),
  },
  { method: 'GET', url: '/api/v1/patients/:patientId/observations', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/observations` }) },
  // Questionnaires: everyone reads definitions, admins add them; every role of the team enters answers and makes answer links; exports as the FHIR export.
  { method: 'GET', url: '/api/v1/questionnaires', expect: { admin: 200, clinician: 200, carer: 200 }, request: () => ({ path: '/api/v1/questionnaires' }) },
  { method: 'GET', url: '/api/v1/questionnaires/:questionnaireId/versions/:version', expect: { admin: 200, clinician: 200, carer: 200 }, request: () => ({ path: '/api/v1/questionnaires/copd-symptoms/versions/1' }) },
  {
    method: 'POST',
    url: '/api/v1/questionnaires',
    expect: { admin: 201, clinician: 403, carer: 403 },
    request: ({ n }) => ({
      path: '/api/v1/questionnaires',
      body: { id: `matrix-${n}`, version: 1, title: { da: 'T', sv: 'T', en: 'T' }, questions: [{ linkId: 'ok', type: 'boolean', text: { da: 'OK?', sv: 'OK?', en: 'OK?' }, source: 'Matrix test, no clinical use' }] },
    }),
  },
  {
    method: 'POST',
    url: '/api/v1/patients/:patientId/questionnaire-responses',
    expect: { admin: SAME(201), clinician: [201, 404], carer: [201, 404] },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/questionnaire-responses`, body: { questionnaire: 'copd-symptoms', version: 1, answers: COPD_ANSWERS } }),
  },
  { method: 'GET', url: '/api/v1/patients/:patientId/questionnaire-responses', expect: TEAM_ONLY, request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/questionnaire-responses` }) },
  {
    method: 'GET',
    url: '/api/v1/patients/:patientId/fhir/questionnaire-responses',
    expect: { admin: SAME(200), clinician: [200, 404], carer: SAME(403) },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/fhir/questionnaire-responses` }),
  },
  {
    method: 'POST',
    url: '/api/v1/patients/:patientId/questionnaire-links',
    expect: { admin: SAME(201), clinician: [201, 404], carer: [201, 404] },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/questionnaire-links`, body: { questionnaire: 'copd-symptoms' } }),
  },
  // Community rooms: admins mark rooms; every role of the resident's team checks in and out.
  {
    method: 'POST',
    url: '/api/v1/rooms',
    expect: { admin: 201, clinician: 403, carer: 403 },
    request: () => ({ path: '/api/v1/rooms', body: { gatewayId: IDS.gateway, displayName: 'Matrix room' } }),
  },
  {
    method: 'POST',
    url: '/api/v1/rooms/:gatewayId/sessions',
    expect: { admin: SAME(201), clinician: [201, 404], carer: [201, 404] },
    room: 'empty',
    request: ({ roomId, patientId }) => ({ path: `/api/v1/rooms/${roomId}/sessions`, body: { patientId, minutes: 10 } }),
  },
  {
    method: 'GET',
    url: '/api/v1/rooms/:gatewayId/sessions/:sessionId',
    expect: TEAM_ONLY,
    room: 'session',
    request: ({ roomId, sessionId }) => ({ path: `/api/v1/rooms/${roomId}/sessions/${sessionId}` }),
  },
  {
    method: 'POST',
    url: '/api/v1/rooms/:gatewayId/sessions/:sessionId/close',
    expect: TEAM_ONLY,
    room: 'session',
    request: ({ roomId, sessionId }) => ({ path: `/api/v1/rooms/${roomId}/sessions/${sessionId}/close` }),
  },
  // The check-in page: every role sees the rooms and whether they are busy; the session's resident only for their team.
  { method: 'GET', url: '/api/v1/rooms', expect: { admin: 200, clinician: 200, carer: 200 }, request: () => ({ path: '/api/v1/rooms' }) },
  {
    method: 'GET',
    url: '/api/v1/rooms/:gatewayId',
    expect: { admin: SAME(200), clinician: SAME(200), carer: SAME(200) },
    room: 'session',
    request: ({ roomId }) => ({ path: `/api/v1/rooms/${roomId}` }),
  },
  {
    method: 'GET',
    url: '/api/v1/rooms/:gatewayId/sessions/:sessionId/readings',
    expect: TEAM_ONLY,
    room: 'session',
    request: ({ roomId, sessionId }) => ({ path: `/api/v1/rooms/${roomId}/sessions/${sessionId}/readings` }),
  },
  // Kiosk links: admins only. Residents' check-in cards: every role of the resident's team.
  {
    method: 'POST',
    url: '/api/v1/rooms/:gatewayId/kiosk-links',
    expect: { admin: 201, clinician: 403, carer: 403 },
    room: 'empty',
    request: ({ roomId }) => ({ path: `/api/v1/rooms/${roomId}/kiosk-links`, body: { label: 'matrix kiosk' } }),
  },
  { method: 'GET', url: '/api/v1/rooms/:gatewayId/kiosk-links', expect: { admin: 200, clinician: 403, carer: 403 }, room: 'empty', request: ({ roomId }) => ({ path: `/api/v1/rooms/${roomId}/kiosk-links` }) },
  {
    method: 'POST',
    url: '/api/v1/rooms/:gatewayId/kiosk-links/:linkId/revoke',
    // No such link: an admin gets as far as 404; other roles are stopped before.
    expect: { admin: 404, clinician: 403, carer: 403 },
    room: 'empty',
    request: ({ roomId }) => ({ path: `/api/v1/rooms/${roomId}/kiosk-links/kio_none/revoke` }),
  },
  {
    method: 'POST',
    url: '/api/v1/patients/:patientId/checkin-code',
    expect: { admin: SAME(201), clinician: [201, 404], carer: [201, 404] },
    request: ({ patientId }) => ({ path: `/api/v1/patients/${patientId}/checkin-code`, body: {} }),
  },
];

describe('authorization matrix', () => {
  let fx: ApiFixture;
  let base: string;
  let n = 0;

  beforeAll(async () => {
    fx = await startApiFixture({}, { alerts: true });
    base = await fx.listen();
    await writeReadings(fx.influx, IDS.north1, [{ kind: 'blood_pressure', at: new Date('2026-03-01T08:00:00Z'), values: { systolic: 130, diastolic: 80 } }]);
    await writeReadings(fx.influx, IDS.south1, [{ kind: 'blood_pressure', at: new Date('2026-03-01T08:00:00Z'), values: { systolic: 140, diastolic: 85 }, deviceId: IDS.southCuff }]);
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function call(row: Row, user: FixtureUser | undefined, team: Team, role: Role): Promise<number> {
    const patientId = team === 'own' ? IDS.north1 : IDS.south1;
    const callNo = n++;
    // Distinct rule ids: a patient holds one active alert per rule.
    const alertId = row.alert ? (await fx.openAlert(patientId, { ruleId: `threshold:blood_pressure.systolic#${callNo}` })).id : 'al-none';
    const roomId = `mroom-${callNo}`;
    let sessionId = 'ses-none';
    if (row.room) {
      await fx.registry.createGateway({ id: roomId });
      await fx.services.rooms!.createRoom({ gatewayId: roomId, displayName: 'Matrix room' });
      if (row.room === 'session') sessionId = (await fx.services.rooms!.open({ gatewayId: roomId, patientId, minutes: 30, openedBy: 'u-admin' })).id;
    }
    const { path, body } = row.request({ patientId, careTeamId: team === 'own' ? IDS.north : IDS.south, team, role, n: callNo, alertId, roomId, sessionId });
    const headers: Record<string, string> = user ? fx.auth(user) : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const res = await fetch(`${base}${path}`, { method: row.method, headers, signal: controller.signal, ...(body !== undefined && { body: JSON.stringify(body) }) });
    if (row.stream) controller.abort();
    else await res.arrayBuffer();
    return res.status;
  }

  it('lists every registered route, and only those', () => {
    const registered = registeredApiRoutes(fx.app)
      .filter((r) => !r.public)
      .map((r) => `${r.method} ${r.url}`);
    const table = TABLE.map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((r) => !table.includes(r)), 'routes without a row in TABLE: add one').toEqual([]);
    expect(table.filter((r) => !registered.includes(r)), 'rows in TABLE for routes that do not exist').toEqual([]);
  });

  it('declares public exactly the sign-in routes, which answer without a token', async () => {
    const registered = registeredApiRoutes(fx.app)
      .filter((r) => r.public)
      .map((r) => `${r.method} ${r.url}`);
    expect([...registered].sort()).toEqual(PUBLIC.map((p) => `${p.method} ${p.url}`).sort());
    for (const p of PUBLIC) {
      const res = await fetch(`${base}${p.url}`, {
        method: p.method,
        ...(p.body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(p.body) }),
      });
      await res.arrayBuffer();
      expect(res.status, `${p.method} ${p.url}`).toBe(p.status);
    }
  });

  interface Cell {
    row: Row;
    role: Role;
    team: Team;
    status: number;
  }
  const cells = TABLE.flatMap((row) =>
    (['admin', 'clinician', 'carer'] as const).flatMap((role): Cell[] => {
      const e = row.expect[role];
      return typeof e === 'number' ? [{ row, role, team: 'own', status: e }] : [{ row, role, team: 'own', status: e[0] }, { row, role, team: 'other', status: e[1] }];
    }),
  );

  it.each(cells.map((c) => [`${c.row.method} ${c.row.url}`, c.role, c.team, c.status, c] as const))('%s as %s, %s team: %i', async (_r, _role, _team, _status, c) => {
    expect(await call(c.row, c.role, c.team, c.role)).toBe(c.status);
  });

  it.each(TABLE.map((row) => [`${row.method} ${row.url}`, row] as const))('%s without a token: 401', async (_r, row) => {
    expect(await call(row, undefined, 'own', 'carer')).toBe(401);
  });
});
