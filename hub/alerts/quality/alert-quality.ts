/**
 * Alert quality as one narrow service for the API: the analytics of a care team's alerts over a
 * period (alert-facts.ts in SQL, summarise.ts pure) and the back-test of a candidate configuration
 * (backtest.ts). Created with the alert service; the API checks who may ask.
 */
import type { SqlDb } from '../../sql/sql-db.js';
import type { AlertConfigStore } from '../config-store.js';
import type { AlertPatients } from '../engine-deps.js';
import type { PatientRulesStore } from '../patient-rules.js';
import type { QuietHours } from '../quiet-hours.js';
import { parseTeamRoutingConfig } from '../routing-config.js';
import { contextFromConfig } from '../patient-step.js';
import { alertFacts } from './alert-facts.js';
import { BacktestError, runBacktest, type BacktestRequest, type BacktestResult } from './backtest.js';
import type { BacktestReadingsSource } from './backtest-readings.js';
import { figures, groupFigures, type GroupBy, type GroupFigures, type QualityFigures } from './summarise.js';

export const DEFAULT_TIME_ZONE = 'Europe/Copenhagen';

export interface AnalyticsQuery {
  readonly careTeamId: string;
  readonly from: Date;
  readonly to: Date;
  readonly groupBy?: GroupBy;
  /** Only the alerts of this condition group's patients, and only them in the patient-weeks. */
  readonly conditionGroup?: string;
}

export interface AnalyticsReport {
  readonly careTeamId: string;
  readonly from: Date;
  readonly to: Date;
  /** Of the hours of day (the team's quiet-hours zone, else Copenhagen). */
  readonly timeZone: string;
  readonly quietHours?: QuietHours;
  readonly conditionGroup?: string;
  readonly overall: QualityFigures;
  readonly groupBy?: GroupBy;
  readonly groups: readonly GroupFigures[];
}

export interface AlertQuality {
  analytics(query: AnalyticsQuery): Promise<AnalyticsReport>;
  /** Throws BacktestError (invalid configuration, beyond retention, deadline, cancelled). */
  backtest(request: BacktestRequest): Promise<BacktestResult>;
}

export interface AlertQualityDeps {
  readonly db: SqlDb;
  readonly patients: AlertPatients;
  readonly rules: PatientRulesStore;
  readonly config: Pick<AlertConfigStore, 'teamRouting'>;
  /** Without it (no InfluxDB) back-tests are refused. */
  readonly readings?: BacktestReadingsSource;
  readonly now: () => Date;
  readonly backtestDeadlineMs?: number;
}

export class BacktestUnavailableError extends Error {
  constructor() {
    super('back-tests need InfluxDB, which this hub does not use');
    this.name = 'BacktestUnavailableError';
  }
}

export function createAlertQuality(deps: AlertQualityDeps): AlertQuality {
  return {
    async analytics(q) {
      const stored = await deps.config.teamRouting(q.careTeamId);
      const routing = stored ? parseTeamRoutingConfig(stored.config) : undefined;
      const quietHours = routing?.ok ? routing.value.quietHours : undefined;
      const timeZone = quietHours?.timeZone ?? DEFAULT_TIME_ZONE;
      const allFacts = await alertFacts(deps.db, q.careTeamId, q.from, q.to, timeZone);
      const roster = (await deps.patients.listPatients([q.careTeamId])).filter((p) => p.careTeamId === q.careTeamId);
      // Condition groups as the engine sees them: the registry's columns under the rule JSON.
      const groups = new Map<string, readonly string[]>();
      for (const p of roster) {
        const ctx = contextFromConfig(p, (await deps.rules.rulesOf(p.id))?.config);
        const of = ctx.ok ? ctx.value.conditionGroups : (p.conditionGroups ?? []);
        // One condition group asked for: its members are the population (alerts and patient-weeks).
        if (q.conditionGroup === undefined || of.includes(q.conditionGroup)) groups.set(p.id, of);
      }
      const facts = q.conditionGroup === undefined ? allFacts : allFacts.filter((f) => groups.has(f.patientId));
      return {
        careTeamId: q.careTeamId,
        from: q.from,
        to: q.to,
        timeZone,
        ...(quietHours ? { quietHours } : {}),
        ...(q.conditionGroup !== undefined ? { conditionGroup: q.conditionGroup } : {}),
        overall: figures(facts, groups.size, q.from, q.to, quietHours),
        ...(q.groupBy ? { groupBy: q.groupBy } : {}),
        groups: q.groupBy ? groupFigures(facts, q.groupBy, groups, q.from, q.to, quietHours) : [],
      };
    },
    async backtest(request) {
      if (!deps.readings) throw new BacktestUnavailableError();
      return runBacktest({ db: deps.db, patients: deps.patients, rules: deps.rules, readings: deps.readings, now: deps.now, ...(deps.backtestDeadlineMs ? { deadlineMs: deps.backtestDeadlineMs } : {}) }, request);
    },
  };
}

export { BacktestError };
