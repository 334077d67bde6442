/**
 * One evaluation of one subject: read what the rules need (readings from InfluxDB, rule config,
 * home status, the subject's active alerts), run the pure rules, run each finding through the pure
 * lifecycle and routing, and write alerts, events and notifications in one transaction. A lost race
 * (another writer changed an alert meanwhile) re-reads and runs again.
 */
import { applyFinding } from './lifecycle.js';
import { settle } from './escalation.js';
import { routingCache, toWrite, type EngineDeps } from './engine-deps.js';
import { EMPTY_ROUTING } from './routing-config.js';
import { homeStatus, rememberedFromView, resumed } from './home-status.js';
import { contextFromConfig, patientStep, type PatientStep } from './patient-step.js';
import { gatewaySubject, patientSubject, type SubjectKey } from './model.js';
import {
  computeNews2,
  DEFAULT_NEWS2,
  evaluateHome,
  FUTURE_TOLERANCE_MS,
  historyNeededMs,
  patientContext,
  PatientRuleConfig,
  scheduleLookbackMs,
  type AssistedObservations,
  type OpenAlerts,
  type PatientContext,
  type RuleFinding,
  type VitalKind,
} from './rules/index.js';
import type { RememberedGateway, News2Snapshot } from './config-store.js';
import { AlertConflictError, type AlertWrite, type StoredAlert } from './store.js';
import type { PatientSummary } from '../registry/registry.js';

const MAX_ATTEMPTS = 5;

interface Subject {
  readonly key: SubjectKey;
  readonly careTeamId: string;
  readonly patientId?: string;
  readonly gatewayId?: string;
}

/**
 * Reads the subject's active alerts, lets `evaluate` produce findings for them, applies the findings
 * and writes the result; retries on a conflict. Resolves with the number of alert writes.
 */
export async function applyToSubject(deps: EngineDeps, subject: Subject, homeOffline: boolean, evaluate: (open: OpenAlerts) => RuleFinding[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const active = await deps.store.activeFor(subject.key);
    const byRule = new Map(active.map((a) => [a.ruleId, a]));
    const open: OpenAlerts = Object.fromEntries(active.map((a) => [a.ruleId, a.severity]));
    const routing = routingCache(deps);
    const writes: AlertWrite[] = [];
    for (const finding of evaluate(open)) {
      const current: StoredAlert | undefined = byRule.get(finding.ruleId);
      const t = applyFinding(current, finding, {
        now,
        subjectKey: subject.key,
        careTeamId: current?.careTeamId ?? subject.careTeamId,
        newId: deps.newAlertId,
        homeOffline,
        ...(subject.patientId ? { patientId: subject.patientId } : {}),
        ...(subject.gatewayId ? { gatewayId: subject.gatewayId } : {}),
      });
      if (!t) continue;
      // Routing is only read when something pages.
      const settled = settle(t, t.page ? await routing(t.alert.careTeamId) : EMPTY_ROUTING, now);
      writes.push(toWrite(deps, settled, current?.version, now));
    }
    try {
      await deps.store.write(writes);
      if (writes.some((w) => w.notifications.length > 0)) deps.onNotifications();
      return writes.length;
    } catch (err) {
      if (!(err instanceof AlertConflictError) || attempt >= MAX_ATTEMPTS) throw err;
      deps.log.debug({ attempt }, 'alert changed meanwhile; evaluating again');
    }
  }
}

/** The rule configuration of a patient: the registry's columns under the care team's JSON. */
export async function contextFor(deps: Pick<EngineDeps, 'rules' | 'log'>, patient: PatientSummary): Promise<PatientContext> {
  const stored = await deps.rules.rulesOf(patient.id);
  const parsed = contextFromConfig(patient, stored?.config);
  if (parsed.ok) return parsed.value;
  // Validated when written; a config that no longer parses must not switch monitoring off.
  deps.log.error({ reason: parsed.reason }, 'alert rule config of a patient is invalid; evaluating with the defaults');
  const fallback = contextFromConfig(patient, {});
  return fallback.ok ? fallback.value : patientContext(patient.id, PatientRuleConfig.parse({}));
}

async function gatewayFor(deps: EngineDeps, gatewayId: string | undefined): Promise<RememberedGateway | undefined> {
  if (!gatewayId) return undefined;
  const view = deps.gateways.all().get(gatewayId);
  const live = view ? rememberedFromView(gatewayId, view) : undefined;
  if (live && live.devices.length > 0) return live;
  const stored = await deps.state.gateway(gatewayId);
  const remembered = stored && resumed(stored, deps.session?.startedAt);
  if (live) return { ...live, devices: remembered?.devices ?? [] };
  if (remembered && view?.devices) return { ...remembered, devices: view.devices.devices };
  return remembered;
}

export { isHomeOffline } from './patient-step.js';

/** Evaluates one patient now. */
export async function evaluatePatientNow(deps: EngineDeps, patient: PatientSummary): Promise<void> {
  const context = await contextFor(deps, patient);
  const now = deps.now();
  const history = historyNeededMs(context);
  const to = new Date(now.getTime() + FUTURE_TOLERANCE_MS);
  const [rows, assisted, questionnaires] = await Promise.all([
    deps.readings.recent(patient.id, new Date(now.getTime() - history), to),
    // Entries older than the longest NEWS2 window cannot count; reading them is wasted work.
    deps.readings.assisted?.(patient.id, new Date(now.getTime() - news2ReachMs(context)), to) ?? {},
    deps.questionnaires?.answered(patient.id),
  ]);
  let lastReadingAt: Partial<Record<VitalKind, Date>> | undefined;
  if (scheduleLookbackMs(context) > history) {
    const kinds = [...new Set((context.schedules ?? []).map((s) => s.kind))];
    lastReadingAt = await deps.readings.lastTimes(patient.id, kinds);
  }
  const facts = (await deps.state.patientFacts([patient.id])).get(patient.id);
  const gatewayId = rows.at(-1)?.gatewayId ?? facts?.gatewayId;
  const step = patientStep(context, rows, await gatewayFor(deps, gatewayId), now, lastReadingAt, assisted, questionnaires);
  await applyToSubject(deps, { key: patientSubject(patient.id), careTeamId: patient.careTeamId, patientId: patient.id, ...(gatewayId ? { gatewayId } : {}) }, step.homeOffline, (open) => step.evaluate(open));
  await deps.state.rememberPatient({ patientId: patient.id, ...(gatewayId ? { gatewayId } : {}), lastEvaluatedAt: now, ...news2Snapshot(context, step.samples, assisted, now) });
}

/** How far back a NEWS2 parameter can still count: the longest of its freshness windows. */
function news2ReachMs(context: PatientContext): number {
  const windows = [context.news2?.windowHours ?? DEFAULT_NEWS2.windowHours, ...Object.values(context.news2?.parameterWindowHours ?? {})];
  return Math.max(...windows) * 3_600_000;
}

function news2Snapshot(context: PatientContext, samples: PatientStep['samples'], assisted: AssistedObservations, now: Date): { news2?: News2Snapshot } {
  const r = computeNews2(context, samples, assisted, now, context.news2?.windowHours ?? DEFAULT_NEWS2.windowHours, context.news2?.parameterWindowHours);
  if (Object.values(r.inputs).every((i) => i.source === 'context')) return {};
  return { news2: { total: r.total, at: now, missing: [...r.missing, ...r.stale] } };
}

/** Evaluates the technical rules of one home (its gateway and devices) now. */
export async function evaluateGatewayNow(deps: EngineDeps, gateway: RememberedGateway, careTeamId: string): Promise<void> {
  const now = deps.now();
  const home = homeStatus(gateway, new Map());
  await applyToSubject(deps, { key: gatewaySubject(gateway.gatewayId), careTeamId, gatewayId: gateway.gatewayId }, false, (open) => evaluateHome(home, now, open));
}
