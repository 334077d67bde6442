/**
 * The alert engine: runs the pure rules and lifecycle against the stores.
 *
 * - After readings are stored (the hub's `onStored(patientIds)` hook) it evaluates those patients,
 *   coalescing repeats, a few at a time.
 * - On a timer (`tick`) it evaluates every patient not evaluated for `fullEvaluationMs` (missing
 *   readings, windows that age), every home's gateway and devices (offline, battery, clock), and
 *   every alert with a time-driven step due (snooze expiry, escalation, repeat).
 * - The clock is injected: scenario tests run it in accelerated time and call `tick()` themselves.
 * - All state is in SQL. `start()` ticks at once, so what fell due while the hub was down (missed
 *   slots, escalations) is handled straight away; the per-subject queue and the store's version
 *   checks keep one active alert per patient and rule.
 */
import { AlertNotFoundError, performAction, type AlertAction } from './engine-actions.js';
import { stepDue } from './escalation.js';
import { EvaluationScheduler } from './evaluation-scheduler.js';
import { KeyedQueue, routingCache, toWrite, type EngineDeps } from './engine-deps.js';
import { evaluateGatewayNow, evaluatePatientNow } from './engine-evaluate.js';
import { homeStatus, mergeGateways } from './home-status.js';
import type { RememberedGateway } from './config-store.js';
import { evaluateHome } from './rules/index.js';
import { AlertConflictError, type AlertWrite, type StoredAlert } from './store.js';
import { gatewaySubject, patientSubject } from './model.js';
import type { AlertSeverity } from '../../contract/index.js';

export interface AlertEngineOptions extends EngineDeps {
  /** Patients evaluated at once after readings arrive (default 4). */
  readonly concurrency?: number;
  /** Every patient is evaluated at least this often by the timer (default 5 min, engine clock). */
  readonly fullEvaluationMs?: number;
  /** Wall-clock interval of the timer (default 30 s). */
  readonly tickEveryMs?: number;
  /** A patient is evaluated at most this often after readings (wall clock, default 1000 ms; evaluation-scheduler.ts). */
  readonly minIntervalMs?: number;
  /** Evaluations after readings, all patients together, per second (default 50; evaluation-scheduler.ts). */
  readonly maxEvaluationsPerSecond?: number;
  /** Several hubs: the timer's work runs only while this hub holds the lease (hub/cluster/sql-lease.ts). */
  readonly lease?: { holds(): boolean };
}

export interface PatientRiskView {
  readonly openAlerts: number;
  readonly highestSeverity?: AlertSeverity;
  readonly news2?: { readonly total: number; readonly at: string; readonly missing: readonly string[] };
}

export class AlertEngine {
  private readonly scheduler: EvaluationScheduler;
  private readonly queue = new KeyedQueue();
  private readonly remembered = new Map<string, { key: string; state: string; devices: string; at: number }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  private readonly deps: AlertEngineOptions;
  private readonly session: { startedAt?: Date } = {};

  constructor(deps: AlertEngineOptions) {
    this.deps = { ...deps, session: this.session };
    this.scheduler = new EvaluationScheduler(
      (id) => this.evaluatePatient(id).catch((err: Error) => this.deps.log.error({ err }, 'alert evaluation failed; the timer evaluates the patient again')),
      {
        ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
        ...(deps.minIntervalMs !== undefined ? { minIntervalMs: deps.minIntervalMs } : {}),
        ...(deps.maxEvaluationsPerSecond !== undefined ? { maxPerSecond: deps.maxEvaluationsPerSecond } : {}),
      },
    );
  }

  /** The ingest hook: these patients have new readings in InfluxDB. Never throws, never blocks. */
  onStored(patientIds: readonly string[]): void {
    if (this.stopped) return;
    this.scheduler.submit(patientIds);
  }

  /** Evaluates one patient now (through the per-patient queue). */
  async evaluatePatient(patientId: string): Promise<void> {
    const patient = await this.deps.patients.getPatient(patientId);
    if (!patient) return; // readings of a patient the registry no longer knows: nothing to alert on
    await this.queue.run(patientSubject(patientId), () => evaluatePatientNow(this.deps, patient));
  }

  /** One round of time-driven work; what the timer runs. */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Starts the timer; the first tick runs at once and catches up on what fell due while stopped. */
  async start(): Promise<void> {
    this.stopped = false;
    this.scheduler.resume();
    this.session.startedAt = this.deps.now();
    const last = await this.deps.state.lastTickAt();
    if (last) this.deps.log.info({ lastRun: last.toISOString(), gapS: Math.round((this.deps.now().getTime() - last.getTime()) / 1000) }, 'alert engine resuming');
    await this.tick();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    // Waiting evaluations are dropped: the next start evaluates every patient anyway.
    await this.scheduler.stop();
    await this.settled();
  }

  /** Resolves once no evaluation is pending or running (tests advance the clock only after this). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.ticking) await this.ticking;
      await this.scheduler.whenIdle();
      await this.queue.idle();
      if (!this.ticking && this.scheduler.idle && this.queue.size === 0) return;
    }
  }

  /** For the API worklist: active paging alerts and the last NEWS2 per patient. */
  async riskOf(patientIds: readonly string[]): Promise<Map<string, PatientRiskView>> {
    const [summary, facts] = await Promise.all([this.deps.store.activeSummary(patientIds), this.deps.state.patientFacts(patientIds)]);
    const out = new Map<string, PatientRiskView>();
    for (const id of patientIds) {
      const s = summary.get(id);
      const n = facts.get(id)?.news2;
      out.set(id, {
        openAlerts: s?.count ?? 0,
        ...(s ? { highestSeverity: s.highest } : {}),
        ...(n ? { news2: { total: n.total, at: n.at.toISOString(), missing: n.missing } } : {}),
      });
    }
    return out;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick().then(
        () => this.schedule(),
        () => this.schedule(),
      );
    }, this.deps.tickEveryMs ?? 30_000);
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    const { deps } = this;
    const now = deps.now();
    if (!this.leaseHeld()) return;
    try {
      await this.evaluateStalePatients(now);
      await this.evaluateHomes();
      await this.runDueSteps();
      await deps.state.setLastTickAt(now);
    } catch (err) {
      deps.log.error({ err }, 'alert engine tick failed; the next tick tries again');
    }
  }

  private async evaluateStalePatients(now: Date): Promise<void> {
    const patients = await this.deps.patients.listPatients('all');
    const facts = await this.deps.state.patientFacts(patients.map((p) => p.id));
    const every = this.deps.fullEvaluationMs ?? 5 * 60_000;
    const stale = patients.filter((p) => {
      const last = facts.get(p.id)?.lastEvaluatedAt;
      return !last || now.getTime() - last.getTime() >= every;
    });
    // One at a time: the timer's round is background work; evaluations after new readings (the
    // ones somebody may be waiting for) interleave with it instead of queueing behind it.
    for (const p of stale) {
      if (this.stopped || !this.leaseHeld()) return;
      await this.queue.run(patientSubject(p.id), () => evaluatePatientNow(this.deps, p)).catch((err: Error) => this.deps.log.error({ err }, 'alert evaluation failed'));
    }
  }

  /**
   * Technical rules per home. A home's alerts go to the care team of the patients living there.
   * Healthy homes without an active alert cost no SQL: their rules are run on the status in memory.
   */
  private async evaluateHomes(): Promise<void> {
    const { deps } = this;
    const now = deps.now();
    const gateways = mergeGateways(deps.gateways, await deps.state.gateways(), this.session.startedAt);
    await deps.state.rememberGateways(this.toRemember(gateways, now), now);
    const patients = await deps.patients.listPatients('all');
    const facts = await deps.state.patientFacts(patients.map((p) => p.id));
    const teamOf = new Map<string, string>();
    for (const p of [...patients].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const gw = facts.get(p.id)?.gatewayId;
      if (gw && !teamOf.has(gw)) teamOf.set(gw, p.careTeamId);
    }
    const withAlerts = await deps.store.activeSubjectKeys('gateway');
    for (const gateway of gateways.values()) {
      const team = teamOf.get(gateway.gatewayId);
      if (!team) continue; // a box nobody's readings came through yet: no care team to tell
      if (!withAlerts.has(gatewaySubject(gateway.gatewayId)) && evaluateHome(homeStatus(gateway, new Map()), now).length === 0) continue;
      await this.queue
        .run(gatewaySubject(gateway.gatewayId), () => evaluateGatewayNow(deps, gateway, team))
        .catch((err: Error) => deps.log.error({ gateway: gateway.gatewayId, err }, 'home evaluation failed'));
    }
  }

  /** Live gateways whose state changed, or that were last remembered 5 minutes ago (heartbeats need not be stored each time). */
  private toRemember(gateways: ReadonlyMap<string, RememberedGateway>, now: Date): RememberedGateway[] {
    const out: RememberedGateway[] = [];
    for (const g of gateways.values()) {
      if (!this.deps.gateways.all().has(g.gatewayId)) continue;
      const last = this.remembered.get(g.gatewayId);
      const key = `${g.state}|${g.stateAt.getTime()}|${JSON.stringify(g.devices)}`;
      if (last && last.key === key) continue;
      if (last && last.state === g.state && JSON.stringify(g.devices) === last.devices && now.getTime() - last.at < 5 * 60_000) continue;
      this.remembered.set(g.gatewayId, { key, state: g.state, devices: JSON.stringify(g.devices), at: now.getTime() });
      out.push(g);
    }
    return out;
  }

  private async runDueSteps(): Promise<void> {
    const { deps } = this;
    for (;;) {
      const now = deps.now();
      const due = await deps.store.due(now, 100);
      if (due.length === 0) return;
      const routing = routingCache(deps);
      let progressed = 0;
      for (const alert of due) {
        if (!this.leaseHeld()) return;
        try {
          await this.queue.run(alert.subjectKey, async () => {
            const fresh = await deps.store.get(alert.id);
            if (!fresh) return;
            const step = stepDue(fresh, await routing(fresh.careTeamId), now);
            if (!step) return;
            const write: AlertWrite = toWrite(deps, step, fresh.version, now);
            await deps.store.write([write]);
            progressed++;
            if (write.notifications.length > 0) deps.onNotifications();
          });
        } catch (err) {
          if (!(err instanceof AlertConflictError)) deps.log.error({ err }, 'alert step failed');
        }
      }
      if (progressed === 0) return;
    }
  }

  /** No lease configured (one hub), or this hub holds it. */
  private leaseHeld(): boolean {
    return this.deps.lease?.holds() ?? true;
  }

  /** A person's action on an alert, serialised with the engine's own work on that subject. */
  async act(alertId: string, actor: string, action: AlertAction, check?: (alert: StoredAlert) => void): Promise<StoredAlert> {
    const alert = await this.deps.store.get(alertId);
    if (!alert) throw new AlertNotFoundError(alertId);
    return this.queue.run(alert.subjectKey, () => performAction(this.deps, alertId, actor, action, check));
  }
}
