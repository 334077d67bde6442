/**
 * The back-test (issue #14): before a care team saves a changed rule configuration for a patient or
 * a condition group, replay the population's stored readings of a period through the engine's own
 * evaluation step with the current and with the candidate configuration, and compare what would
 * have fired, and which past alerts that led to action the candidate would have missed.
 *
 * Bounded: readings stream from InfluxDB a chunk of patients at a time; the work stops at a deadline
 * and when the caller's AbortSignal fires (the client hung up). Nothing is written anywhere.
 */
import type { SqlDb } from '../../sql/sql-db.js';
import type { AlertPatients } from '../engine-deps.js';
import type { PatientRulesStore } from '../patient-rules.js';
import { contextFromConfig } from '../patient-step.js';
import { historyNeededMs, parsePatientRuleConfig, type PatientContext } from '../rules/index.js';
import type { PatientSummary } from '../../registry/registry.js';
import { actionedAlerts } from './alert-facts.js';
import type { BacktestReadingsSource } from './backtest-readings.js';
import { replayConfigurations, type ReplayedAlert } from './replay.js';
import { replayPool, ReplayTimeout, type ReplayPool } from './replay-pool.js';
import { patientWeeks } from './summarise.js';

export type BacktestPopulation = { readonly patientId: string } | { readonly careTeamId: string; readonly conditionGroup?: string };

export interface BacktestRequest {
  readonly population: BacktestPopulation;
  /** PatientRuleConfig JSON, as PUT /patients/{id}/alert-rules takes it; replaces each patient's own. */
  readonly candidate: unknown;
  readonly from: Date;
  readonly to: Date;
  readonly tickMs: number;
  readonly signal?: AbortSignal;
}

export type BacktestErrorCode = 'invalid_config' | 'beyond_retention' | 'timeout' | 'cancelled' | 'empty_population';

export class BacktestError extends Error {
  constructor(
    readonly code: BacktestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BacktestError';
  }
}

export interface MissedAlert {
  readonly alertId: string;
  readonly patientId: string;
  readonly ruleId: string;
  readonly openedAt: Date;
}

export interface ConfigOutcome {
  readonly alerts: number;
  readonly alertsPerPatientWeek?: number;
  readonly byRule: Readonly<Record<string, number>>;
  /** The first LIST_LIMIT, in time order. */
  readonly list: readonly ReplayedAlert[];
  readonly listTruncated: boolean;
  /** Past alerts whose outcome was action taken that this configuration would not have raised. */
  readonly missedActioned: readonly MissedAlert[];
}

export interface BacktestResult {
  readonly patients: number;
  /** Whose readings were read (for the access log). */
  readonly patientIds: readonly string[];
  readonly patientWeeks: number;
  readonly readings: number;
  /** Patients with more stored readings of a kind than a back-test reads (MAX_READINGS_PER_KIND). */
  readonly truncatedPatients: readonly string[];
  readonly actionedAlerts: number;
  readonly current: ConfigOutcome;
  readonly candidate: ConfigOutcome;
  readonly elapsedMs: number;
  /** Worker threads that replayed (0: the calling thread did). */
  readonly workers: number;
}

export const LIST_LIMIT = 1000;

export interface BacktestDeps {
  readonly db: SqlDb;
  readonly patients: AlertPatients;
  readonly rules: PatientRulesStore;
  readonly readings: BacktestReadingsSource;
  readonly now: () => Date;
  /** Wall-clock budget of one back-test (default 30 s). */
  readonly deadlineMs?: number;
  /** Worker threads replaying the patients (default: the process's pool); null: on this thread. */
  readonly pool?: ReplayPool | null;
}


async function populationOf(deps: BacktestDeps, p: BacktestPopulation): Promise<PatientSummary[]> {
  if ('patientId' in p) {
    const patient = await deps.patients.getPatient(p.patientId);
    return patient ? [patient] : [];
  }
  const team = await deps.patients.listPatients([p.careTeamId]);
  return team.filter((x) => x.careTeamId === p.careTeamId).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** An actioned alert counts as caught when the replay has an alert of its patient and rule active around its opening (± one tick). */
function missed(actioned: readonly MissedAlert[], replayed: readonly ReplayedAlert[], slackMs: number): MissedAlert[] {
  const byKey = new Map<string, ReplayedAlert[]>();
  for (const r of replayed) byKey.set(`${r.patientId}\n${r.ruleId}`, [...(byKey.get(`${r.patientId}\n${r.ruleId}`) ?? []), r]);
  return actioned.filter((a) => {
    const t = a.openedAt.getTime();
    return !(byKey.get(`${a.patientId}\n${a.ruleId}`) ?? []).some((r) => r.openedAt.getTime() <= t + slackMs && (r.resolvedAt?.getTime() ?? Infinity) >= t - slackMs);
  });
}

function outcome(replayed: ReplayedAlert[], weeks: number, actioned: readonly MissedAlert[], slackMs: number): ConfigOutcome {
  replayed.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || (a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0));
  const byRule: Record<string, number> = {};
  for (const r of replayed) byRule[r.ruleId] = (byRule[r.ruleId] ?? 0) + 1;
  return {
    alerts: replayed.length,
    ...(weeks > 0 ? { alertsPerPatientWeek: Math.round((replayed.length / weeks) * 1000) / 1000 } : {}),
    byRule,
    list: replayed.slice(0, LIST_LIMIT),
    listTruncated: replayed.length > LIST_LIMIT,
    missedActioned: missed(actioned, replayed, slackMs),
  };
}

export async function runBacktest(deps: BacktestDeps, req: BacktestRequest): Promise<BacktestResult> {
  const started = Date.now();
  const deadline = started + (deps.deadlineMs ?? 30_000);
  const timeout = () => new BacktestError('timeout', `the back-test did not finish within ${Math.round((deps.deadlineMs ?? 30_000) / 1000)} s; choose a shorter period or a smaller population`);
  const checkpoint = () => {
    if (req.signal?.aborted) throw new BacktestError('cancelled', 'the back-test was cancelled');
    if (Date.now() > deadline) throw timeout();
  };
  const parsed = parsePatientRuleConfig(req.candidate);
  if (!parsed.ok) throw new BacktestError('invalid_config', parsed.reason);
  const start = await deps.readings.retentionStart(deps.now());
  if (start && req.from.getTime() < start.getTime()) {
    throw new BacktestError('beyond_retention', `InfluxDB keeps readings from ${start.toISOString()} only; the period starts at ${req.from.toISOString()}`);
  }
  const team = await populationOf(deps, req.population);
  const group = 'conditionGroup' in req.population ? req.population.conditionGroup : undefined;

  const contexts = new Map<string, { current: PatientContext; candidate: PatientContext }>();
  const population: PatientSummary[] = [];
  let history = 0;
  for (const p of team) {
    const stored = await deps.rules.rulesOf(p.id);
    const current = contextFromConfig(p, stored?.config);
    const candidate = contextFromConfig(p, req.candidate);
    if (!candidate.ok) throw new BacktestError('invalid_config', candidate.reason);
    // A stored config that no longer parses is evaluated with the defaults, as the engine does.
    const fallback = contextFromConfig(p, {});
    const cur = current.ok ? current.value : fallback.ok ? fallback.value : candidate.value;
    // The group as the engine sees it today (the registry's columns under the stored rules).
    if (group !== undefined && !cur.conditionGroups.includes(group as never)) continue;
    population.push(p);
    contexts.set(p.id, { current: cur, candidate: candidate.value });
    history = Math.max(history, historyNeededMs(cur), historyNeededMs(candidate.value));
  }
  if (population.length === 0) throw new BacktestError('empty_population', 'the population has no patients');
  checkpoint();

  const byId = new Map(population.map((p) => [p.id, p]));
  const replayed = { current: [] as ReplayedAlert[], candidate: [] as ReplayedAlert[] };
  const truncated: string[] = [];
  let readings = 0;
  const options = { from: req.from, to: req.to, tickMs: req.tickMs, checkpoint };
  // Always on the workers, even for one patient: a 90-day replay at a 15-minute tick is seconds of
  // CPU, which on this thread would hold up every other request of the API (and the hang-up that
  // cancels it). `pool: null` (tests of the replay itself) replays here.
  const pool = deps.pool === undefined ? replayPool() : deps.pool;
  // Waiting for the workers ends at once on a hang-up or at the deadline; a worker still busy with
  // a patient finishes it (bounded: two patients a worker) and its answer is dropped.
  let stopTimer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    const stop = () => {
      try {
        checkpoint();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    req.signal?.addEventListener('abort', stop, { once: true });
    stopTimer = setTimeout(stop, Math.max(0, deadline - Date.now()) + 5);
    stopTimer.unref();
  });
  stopped.catch(() => undefined);
  const waitFor = async (p: Promise<unknown>) => {
    await Promise.race([p, stopped]);
  };
  // Bounded memory: at most two patients per worker are in flight; the next chunk is read only
  // when one comes back.
  const inflight = new Set<Promise<void>>();
  let failure: Error | undefined;
  for await (const chunk of deps.readings.readings([...byId.keys()], new Date(req.from.getTime() - history), req.to)) {
    checkpoint();
    const patient = byId.get(chunk.patientId)!;
    const c = contexts.get(chunk.patientId)!;
    readings += chunk.readings.length;
    if (chunk.truncated) truncated.push(chunk.patientId);
    if (pool) {
      const job = pool.run({ patient: { id: patient.id, careTeamId: patient.careTeamId }, contexts: [c.current, c.candidate], readings: chunk.readings, from: req.from, to: req.to, tickMs: req.tickMs, deadline });
      const tracked: Promise<void> = job
        .then(
          ([current, candidate]) => {
            // One patient's alerts are appended together, so the order after sorting does not depend on which worker finished first.
            for (const a of current ?? []) replayed.current.push(a);
            for (const a of candidate ?? []) replayed.candidate.push(a);
          },
          (err: unknown) => {
            failure ??= err instanceof ReplayTimeout ? timeout() : err instanceof Error ? err : new Error(String(err));
          },
        )
        .finally(() => inflight.delete(tracked));
      inflight.add(tracked);
      if (inflight.size >= pool.size * 2) await waitFor(Promise.race(inflight));
      if (failure !== undefined) throw failure;
      continue;
    }
    const [current, candidate] = replayConfigurations(patient, [c.current, c.candidate], chunk.readings, options);
    for (const a of current ?? []) replayed.current.push(a);
    for (const a of candidate ?? []) replayed.candidate.push(a);
    // Replaying is CPU work: let the socket of the query running ahead, a hang-up (the abort) and
    // other requests through between patients.
    await new Promise((resolve) => setImmediate(resolve));
  }
  try {
    await waitFor(Promise.all(inflight));
  } finally {
    clearTimeout(stopTimer);
  }
  if (failure !== undefined) throw failure;

  const actioned = (await actionedAlerts(deps.db, [...byId.keys()], req.from, req.to)).map((a) => ({ alertId: a.id, patientId: a.patientId, ruleId: a.ruleId, openedAt: a.openedAt }));
  const weeks = patientWeeks(population.length, req.from, req.to);
  const slack = Math.max(req.tickMs, 3_600_000);
  return {
    patients: population.length,
    patientIds: [...byId.keys()],
    patientWeeks: Math.round(weeks * 1000) / 1000,
    readings,
    truncatedPatients: truncated,
    actionedAlerts: actioned.length,
    current: outcome(replayed.current, weeks, actioned, slack),
    candidate: outcome(replayed.candidate, weeks, actioned, slack),
    elapsedMs: Date.now() - started,
    workers: pool?.size ?? 0,
  };
}
