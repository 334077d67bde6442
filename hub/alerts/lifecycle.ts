/**
 * The alert lifecycle as pure transition functions: (alert, input, now) -> new alert, the events
 * that record the change, and whether somebody should be paged. No I/O, no clock, no ids except the
 * one passed in. The engine stores the result in one transaction and hands pages to routing.
 *
 *   open -> acknowledged -> resolved   (resolved by a person, or by the system once the rule clears)
 *   acknowledged -> open               (re-opened when the severity rises above what was acknowledged)
 *
 * - Dedup: one active alert per subject and rule id; a repeat updates last seen and the count only.
 * - A worse reading raises the severity and pages again; a milder one lowers it silently.
 * - Snooze holds: no pages and no resolve-then-reopen flapping while snoozed. A cleared condition is
 *   remembered and resolves the alert at expiry; a still-firing one pages again at expiry. Only a rise
 *   above the snoozed severity breaks a snooze (a snooze given for "high" must not hide "urgent").
 * - Inhibition: while the home's gateway is offline its missing-reading alerts are muted; the
 *   gateway_offline alert carries the page.
 * - Backfilled findings (late readings) and info severity never page.
 */
import type { AlertState } from '../../contract/index.js';
import { isPaging, severityRank, type FindingEvidence, type RuleFinding } from './rules/index.js';
import { outcomeOf, type OutcomeInput } from './outcome.js';
import { NO_ESCALATION, SYSTEM_ACTOR, isActive, type AlertEventRecord, type AlertEventType, type AlertRecord, type EventDetail, type SubjectKey } from './model.js';

/** Why a page goes out; routing picks the recipients. */
export type PageReason =
  | 'opened'
  | 'severity_raised'
  | 'audience_changed'
  | 'snooze_expired'
  | 'snooze_broken'
  | 'unmuted'
  | 'escalated'
  | 'repeated'
  | 'resolved';

export interface Transition {
  readonly alert: AlertRecord;
  /** Appended to alert_events, in order; empty for a silent repeat. */
  readonly events: readonly AlertEventRecord[];
  /** Page now (routing decides whom); undefined: nobody is paged. */
  readonly page?: PageReason;
}

/** A transition a person asked for that the alert's state does not allow. */
export class LifecycleError extends Error {
  /** The API maps it by this code (contract/part-errors.ts): a bad snooze is the caller's input, the rest contradict the alert's state. */
  readonly partError: 'invalid_input' | 'conflict';
  readonly partErrorField?: string;
  constructor(
    readonly code: 'not_active' | 'already_acknowledged' | 'invalid_snooze',
    message: string,
    field?: 'body.until' | 'body.reason',
  ) {
    super(message);
    this.name = 'LifecycleError';
    this.partError = code === 'invalid_snooze' ? 'invalid_input' : 'conflict';
    if (field) this.partErrorField = field;
  }
}

export interface FindingContext {
  readonly now: Date;
  readonly subjectKey: SubjectKey;
  readonly patientId?: string;
  readonly gatewayId?: string;
  readonly careTeamId: string;
  /** The id for a new alert (called only when one is opened). */
  readonly newId: () => string;
  /** The home's gateway is offline: its missing-reading alerts are muted. */
  readonly homeOffline: boolean;
}

/** Missing-reading alerts of a home whose gateway is offline are inhibited (Alertmanager-style). */
export function isInhibited(ruleId: string, homeOffline: boolean): boolean {
  return homeOffline && ruleId.startsWith('missing:');
}

export function isSnoozed(alert: Pick<AlertRecord, 'snooze'>, now: Date): boolean {
  return alert.snooze !== undefined && alert.snooze.until.getTime() > now.getTime();
}

/** Would a page for this alert go out now? */
export function canPage(alert: AlertRecord, now: Date): boolean {
  return isActive(alert) && isPaging(alert.severity) && !alert.backfilled && !alert.muted && !isSnoozed(alert, now);
}

/** Accumulates events with consecutive revisions. */
class Change {
  readonly events: AlertEventRecord[] = [];
  constructor(
    public alert: AlertRecord,
    private readonly actor: string,
    private readonly now: Date,
  ) {}

  record(type: AlertEventType, patch: Partial<AlertRecord>, detail: EventDetail = {}): void {
    const fromState: AlertState | null = this.events.length === 0 && type === 'opened' ? null : this.alert.state;
    const revision = this.alert.revision + 1;
    this.alert = { ...this.alert, ...patch, revision, updatedAt: this.now };
    this.events.push({ alertId: this.alert.id, revision, type, actor: this.actor, at: this.now, fromState, toState: this.alert.state, severity: this.alert.severity, detail });
  }

  done(page?: PageReason): Transition {
    return page === undefined ? { alert: this.alert, events: this.events } : { alert: this.alert, events: this.events, page };
  }
}

function fromFinding(f: RuleFinding): Pick<AlertRecord, 'audience' | 'summary' | 'evidence' | 'cause' | 'deviceId' | 'backfilled'> {
  return { audience: f.audience, summary: f.summary, evidence: f.evidence, cause: f.cause, deviceId: f.deviceId, backfilled: f.backfilled === true };
}

function open(finding: RuleFinding, ctx: FindingContext): Transition {
  const { now } = ctx;
  const draft: AlertRecord = {
    id: ctx.newId(),
    subjectKey: ctx.subjectKey,
    patientId: ctx.patientId,
    gatewayId: finding.gatewayId ?? ctx.gatewayId,
    careTeamId: ctx.careTeamId,
    ruleId: finding.ruleId,
    severity: finding.severity,
    state: 'open',
    condition: 'firing',
    ...fromFinding(finding),
    openedAt: now,
    updatedAt: now,
    lastSeenAt: now,
    occurrences: 1,
    muted: isInhibited(finding.ruleId, ctx.homeOffline),
    revision: 0,
    escalation: NO_ESCALATION,
  };
  const change = new Change(draft, SYSTEM_ACTOR, now);
  change.record('opened', {}, { summary: finding.summary, cause: finding.cause ?? null, muted: draft.muted, backfilled: draft.backfilled });
  return change.done(canPage(change.alert, now) ? 'opened' : undefined);
}

function resolveBySystem(change: Change, now: Date, summary: string): void {
  change.record('resolved', { state: 'resolved', condition: 'cleared', resolvedAt: now, resolvedBy: SYSTEM_ACTOR, snooze: undefined, escalation: { tier: change.alert.escalation.tier } }, { by: 'rule', summary });
}

/** The page an all-clear sends: only to those who were paged about it. */
function allClear(before: AlertRecord): PageReason | undefined {
  return before.escalation.tier > 0 && !before.muted && !before.backfilled ? 'resolved' : undefined;
}

function applyCleared(current: AlertRecord, finding: RuleFinding, now: Date): Transition | undefined {
  const change = new Change(current, SYSTEM_ACTOR, now);
  if (isSnoozed(current, now)) {
    // The snooze holds: remember the condition cleared; resolve (or page again) when it expires.
    if (current.condition === 'cleared') return undefined;
    change.record('condition_cleared', { condition: 'cleared' }, { summary: finding.summary });
    return change.done();
  }
  resolveBySystem(change, now, finding.summary);
  return change.done(allClear(current));
}

/** A reading the alert has not seen yet; for rules without readings (missing, technical), changed facts. */
export function hasNewEvidence(before: FindingEvidence, after: FindingEvidence): boolean {
  if (after.readingIds.length > 0) return after.readingIds.some((id) => !before.readingIds.includes(id));
  return JSON.stringify(after.values) !== JSON.stringify(before.values);
}

function applyFiring(current: AlertRecord, finding: RuleFinding, ctx: FindingContext): Transition {
  const { now } = ctx;
  // A repeat is new evidence for the same condition (another reading, another missed slot); the
  // same evidence seen again by a later evaluation only moves lastSeenAt.
  const repeated = hasNewEvidence(current.evidence, finding.evidence);
  const change = new Change(
    { ...current, ...fromFinding(finding), gatewayId: finding.gatewayId ?? current.gatewayId, lastSeenAt: now, occurrences: current.occurrences + (repeated ? 1 : 0) },
    SYSTEM_ACTOR,
    now,
  );
  let page: PageReason | undefined;
  const snoozedBefore = isSnoozed(current, now);

  if (current.condition === 'cleared') change.record('condition_returned', { condition: 'firing' }, { summary: finding.summary });

  if (finding.audience !== current.audience) {
    // The other audience's escalation stops; the new audience's tiers are paged from the first.
    change.record('audience_changed', { escalation: { tier: 0 } }, { from: current.audience, to: finding.audience, cause: finding.cause ?? null });
    page = 'audience_changed';
  }

  const muted = isInhibited(finding.ruleId, ctx.homeOffline);
  if (muted !== current.muted) {
    change.record(muted ? 'muted' : 'unmuted', muted ? { muted, escalation: { tier: change.alert.escalation.tier } } : { muted }, { reason: 'gateway_offline' });
    if (!muted) page ??= 'unmuted';
  }

  const rise = severityRank(finding.severity) - severityRank(current.severity);
  if (rise > 0) {
    change.record('severity_raised', { severity: finding.severity }, { from: current.severity, to: finding.severity, summary: finding.summary });
    page = 'severity_raised';
    if (current.state === 'acknowledged') change.record('reopened', { state: 'open', acknowledgedAt: undefined, acknowledgedBy: undefined }, { reason: 'severity_raised' });
    if (snoozedBefore && current.snooze && severityRank(finding.severity) > severityRank(current.snooze.severity)) {
      change.record('snooze_broken', { snooze: undefined }, { snoozedSeverity: current.snooze.severity, severity: finding.severity });
    }
  } else if (rise < 0) {
    change.record('severity_lowered', { severity: finding.severity }, { from: current.severity, to: finding.severity });
  }

  return change.done(page !== undefined && canPage(change.alert, now) ? page : undefined);
}

/**
 * Applies one rule finding to the subject's active alert for that rule (undefined: none).
 * Returns undefined when nothing changes (a cleared finding without an active alert).
 */
export function applyFinding(current: AlertRecord | undefined, finding: RuleFinding, ctx: FindingContext): Transition | undefined {
  if (current !== undefined && (!isActive(current) || current.ruleId !== finding.ruleId)) {
    throw new Error(`applyFinding: alert ${current.id} is not the active alert for ${finding.ruleId}`);
  }
  if (current === undefined) return finding.condition === 'firing' ? open(finding, ctx) : undefined;
  return finding.condition === 'cleared' ? applyCleared(current, finding, ctx.now) : applyFiring(current, finding, ctx);
}

function requireActive(alert: AlertRecord): void {
  if (!isActive(alert)) throw new LifecycleError('not_active', `alert ${alert.id} is resolved`);
}

/** One more outcome event; the alert keeps the latest. A correction is detailed as such. */
function recordOutcomeOn(change: Change, actor: string, now: Date, input: OutcomeInput): void {
  const correction = change.alert.outcome !== undefined;
  const outcome = outcomeOf(input, actor, now);
  change.record('outcome_recorded', { outcome }, { kind: outcome.kind, action: outcome.action ?? null, text: outcome.text ?? null, correction });
}

/** A person takes the alert: escalation and repeats stop. With an outcome, it is recorded too. */
export function acknowledge(alert: AlertRecord, actor: string, now: Date, note?: string, outcome?: OutcomeInput): Transition {
  requireActive(alert);
  if (alert.state === 'acknowledged') throw new LifecycleError('already_acknowledged', `alert ${alert.id} was acknowledged by ${alert.acknowledgedBy ?? 'someone'}`);
  const change = new Change(alert, actor, now);
  change.record('acknowledged', { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor, escalation: { tier: alert.escalation.tier } }, { note: note ?? null });
  if (outcome) recordOutcomeOn(change, actor, now, outcome);
  return change.done();
}

/** A person resolves the alert. If the condition still holds, the next evaluation opens a new one. */
export function resolve(alert: AlertRecord, actor: string, now: Date, note?: string, outcome?: OutcomeInput): Transition {
  requireActive(alert);
  const change = new Change(alert, actor, now);
  change.record('resolved', { state: 'resolved', resolvedAt: now, resolvedBy: actor, snooze: undefined, escalation: { tier: alert.escalation.tier } }, { by: 'user', note: note ?? null });
  if (outcome) recordOutcomeOn(change, actor, now, outcome);
  return change.done(allClear(alert));
}

/**
 * Records or corrects what the alert turned out to be, in any state (usually after it is resolved):
 * a new event, never an edit of an earlier one.
 */
export function recordOutcome(alert: AlertRecord, actor: string, now: Date, outcome: OutcomeInput): Transition {
  const change = new Change(alert, actor, now);
  recordOutcomeOn(change, actor, now, outcome);
  return change.done();
}

export const MAX_SNOOZE_MS = 7 * 24 * 3600_000;

/** Silences the alert until `until`, with a reason; escalation and repeats stop meanwhile. */
export function snooze(alert: AlertRecord, actor: string, now: Date, until: Date, reason: string): Transition {
  requireActive(alert);
  if (until.getTime() <= now.getTime()) throw new LifecycleError('invalid_snooze', 'until must be in the future', 'body.until');
  if (until.getTime() - now.getTime() > MAX_SNOOZE_MS) throw new LifecycleError('invalid_snooze', 'until must be at most 7 days ahead', 'body.until');
  if (reason.trim().length === 0) throw new LifecycleError('invalid_snooze', 'a snooze needs a reason', 'body.reason');
  const change = new Change(alert, actor, now);
  change.record('snoozed', { snooze: { until, reason, by: actor, severity: alert.severity }, escalation: { tier: alert.escalation.tier } }, { until: until.toISOString(), reason });
  return change.done();
}

/** A system event without a state change (escalation steps): one more revision, an optional page. */
export function systemEvent(alert: AlertRecord, now: Date, type: AlertEventType, detail: EventDetail, page?: PageReason): Transition {
  const change = new Change(alert, SYSTEM_ACTOR, now);
  change.record(type, {}, detail);
  return change.done(page);
}

export function comment(alert: AlertRecord, actor: string, now: Date, text: string): Transition {
  const change = new Change(alert, actor, now);
  change.record('commented', {}, { text });
  return change.done();
}

/**
 * The snooze ran out: a condition that cleared meanwhile resolves the alert; one still firing pages
 * again. Undefined when the alert has no expired snooze.
 */
export function expireSnooze(alert: AlertRecord, now: Date): Transition | undefined {
  if (!isActive(alert) || alert.snooze === undefined || isSnoozed(alert, now)) return undefined;
  const change = new Change(alert, SYSTEM_ACTOR, now);
  change.record('snooze_expired', { snooze: undefined }, { reason: alert.snooze.reason });
  if (alert.condition === 'cleared') {
    resolveBySystem(change, now, 'condition cleared while snoozed');
    return change.done(allClear(alert));
  }
  return change.done(canPage(change.alert, now) ? 'snooze_expired' : undefined);
}
