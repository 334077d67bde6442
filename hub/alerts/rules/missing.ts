/**
 * Missing readings against the patient's expected schedule, with the likely cause. For someone who
 * lives alone, an expected measurement that does not come is often the first sign that something
 * is wrong, so the rule leans towards telling the clinical team:
 *
 *   gateway_offline  the home's gateway is offline                                   -> technical
 *   no_device        no device measuring this kind is registered to the home         -> technical
 *   battery_flat     every such device last reported <= 10 % battery                 -> technical
 *   device_not_seen  every such device advertises when idle and has not been seen
 *                    for 6 h (or is reported absent)                                  -> technical
 *   not_measured     otherwise: the devices are there, nobody measured               -> clinical
 *
 * Cuffs, scales and glucose meters mostly advertise only while in use, so silence from them is
 * what "did not measure" looks like: it never counts as a technical fault unless the device is
 * marked `advertisesWhenIdle`. Without any home status the cause is not_measured (clinical).
 * While the gateway is offline the finding is technical and says so; the engine mutes the clinical
 * missing-reading alert for that home then. Any reading of the kind counts as a measurement, late
 * or implausible ones included (the resident did measure).
 * Severity: the schedule's (default medium), escalated (default high) from 2 missed slots in a row.
 */
import { passiveIntervalAt } from './passive.js';
import { clearedFinding } from './severity.js';
import { HOUR_MS } from './samples.js';
import { DEFAULT_GRACE_MINUTES, MAX_SLOTS, formatLocal, missedSlots } from './schedule.js';
import { gatewayOffline } from './technical.js';
import type { HomeStatus, MissingCause, OpenAlerts, PatientContext, ReadingSchedule, RuleFinding, VitalKind, VitalSample } from './types.js';

export const missingRuleId = (kind: VitalKind): string => `missing:${kind}`;

export interface MissingSettings {
  readonly deviceSilenceHours: number;
  readonly batteryFlatPercent: number;
}

export const DEFAULT_MISSING: MissingSettings = { deviceSilenceHours: 6, batteryFlatPercent: 10 };

export interface CauseVerdict {
  readonly cause: MissingCause;
  readonly detail: string;
  readonly deviceId?: string;
}

export function missingCause(kind: VitalKind, home: HomeStatus | undefined, now: Date, settings: MissingSettings = DEFAULT_MISSING): CauseVerdict {
  if (!home) return { cause: 'not_measured', detail: 'home status unknown' };
  if (home.gateway && gatewayOffline(home.gateway, now).offline) return { cause: 'gateway_offline', detail: `gateway ${home.gateway.gatewayId} is offline` };
  const devices = home.devices.filter((d) => d.kinds.includes(kind));
  if (devices.length === 0) return { cause: 'no_device', detail: `no ${kind.replace(/_/g, ' ')} device registered to the home` };
  const silentBefore = now.getTime() - settings.deviceSilenceHours * HOUR_MS;
  const problems = devices.map((d): CauseVerdict | undefined => {
    if (d.batteryPercent !== undefined && d.batteryPercent <= settings.batteryFlatPercent)
      return { cause: 'battery_flat', detail: `device ${d.deviceId} battery ${d.batteryPercent} %`, deviceId: d.deviceId };
    if (d.advertisesWhenIdle === true && (!d.present || (d.lastSeenAt?.getTime() ?? -Infinity) < silentBefore))
      return { cause: 'device_not_seen', detail: `device ${d.deviceId} not seen${d.lastSeenAt ? ` since ${d.lastSeenAt.toISOString()}` : ''}`, deviceId: d.deviceId };
    return undefined;
  });
  if (problems.every((p) => p !== undefined)) return problems.find((p) => p.cause === 'battery_flat') ?? problems[0]!;
  const seen = devices.map((d) => d.lastSeenAt?.getTime()).filter((t): t is number => t !== undefined);
  return { cause: 'not_measured', detail: seen.length > 0 ? `device last seen ${new Date(Math.max(...seen)).toISOString()}` : 'device present' };
}

/** The newest measurement time per kind, from the samples and any last-reading times the engine looked up. */
export function lastReadingTimes(samples: readonly VitalSample[], known: Readonly<Partial<Record<VitalKind, Date>>> = {}): Partial<Record<VitalKind, number>> {
  const out: Partial<Record<VitalKind, number>> = {};
  for (const [kind, at] of Object.entries(known) as [VitalKind, Date | undefined][]) if (at) out[kind] = at.getTime();
  for (const s of samples) {
    const t = s.measuredAt.getTime();
    if ((out[s.kind] ?? -Infinity) < t) out[s.kind] = t;
  }
  return out;
}

function describeSchedule(s: ReadingSchedule): string {
  if (s.type === 'interval') return `every ${s.everyHours} h`;
  return `by ${s.by}${s.daysOfWeek ? ` on days ${s.daysOfWeek.join(',')}` : ' daily'}`;
}

export interface MissingInput {
  readonly context: PatientContext;
  readonly samples: readonly VitalSample[];
  readonly now: Date;
  readonly open?: OpenAlerts;
  readonly home?: HomeStatus;
  /** Newest measurement time per kind when the samples do not reach back far enough. */
  readonly lastReadingAt?: Readonly<Partial<Record<VitalKind, Date>>>;
  readonly settings?: MissingSettings;
}

export function evaluateMissing(input: MissingInput): RuleFinding[] {
  const { context, now } = input;
  const open = input.open ?? {};
  if (passiveIntervalAt(context.passiveIntervals, now)) return [];
  if (!context.schedules?.length) return []; // most patients: not worth a pass over the samples
  const last = lastReadingTimes(input.samples, input.lastReadingAt);
  const findings: RuleFinding[] = [];
  for (const schedule of context.schedules ?? []) {
    const ruleId = missingRuleId(schedule.kind);
    const lastAt = last[schedule.kind];
    const missed = missedSlots({
      schedule,
      timeZone: context.timeZone,
      now: now.getTime(),
      ...(lastAt === undefined ? {} : { lastReadingAt: lastAt }),
      ...(context.passiveIntervals ? { passiveIntervals: context.passiveIntervals } : {}),
      ...(context.monitoringSince ? { monitoringSince: context.monitoringSince.getTime() } : {}),
    });
    const kindText = schedule.kind.replace(/_/g, ' ');
    const lastText = lastAt === undefined ? 'no reading on record' : `last ${formatLocal(lastAt, context.timeZone)}`;
    if (missed.count === 0) {
      const held = open[ruleId];
      if (held !== undefined) findings.push(clearedFinding(ruleId, 'clinical', held, `${kindText} reading received (${lastText})`));
      continue;
    }
    const verdict = missingCause(schedule.kind, input.home, now, input.settings);
    const escalated = missed.count >= (schedule.escalateAfterMissed ?? 2);
    const severity = escalated ? (schedule.escalatedSeverity ?? 'high') : (schedule.severity ?? 'medium');
    const due = missed.dueAt === undefined ? '' : `, due ${formatLocal(missed.dueAt, context.timeZone)}`;
    findings.push({
      ruleId,
      audience: verdict.cause === 'not_measured' ? 'clinical' : 'technical',
      severity,
      summary: `No ${kindText} reading (${describeSchedule(schedule)}${due}; ${missed.count}${missed.count >= MAX_SLOTS ? '+' : ''} missed; ${lastText}): ${verdict.detail}`,
      evidence: {
        readingIds: [],
        values: {
          missed: missed.count,
          dueAt: missed.dueAt === undefined ? null : new Date(missed.dueAt).toISOString(),
          lastReadingAt: lastAt === undefined ? null : new Date(lastAt).toISOString(),
          graceMinutes: schedule.graceMinutes ?? DEFAULT_GRACE_MINUTES,
        },
      },
      condition: 'firing',
      cause: verdict.cause,
      ...(verdict.deviceId ? { deviceId: verdict.deviceId } : {}),
      ...(verdict.cause === 'gateway_offline' && input.home?.gateway ? { gatewayId: input.home.gateway.gatewayId } : {}),
    });
  }
  return findings;
}
