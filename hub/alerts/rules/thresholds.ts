/**
 * Threshold rule: one finding per vital component, at the severity of the highest band the recent
 * readings confirm.
 *
 * - Current readings only: implausible ones never count; late (downloaded) ones neither fire nor
 *   clear the live rule. They have their own rule, `threshold:<key>:backfilled`, which reports at
 *   info severity (never pages) while a late reading in the look-back window lies in a band.
 * - Confirmation: a band is confirmed when the newest `consecutive` current readings all lie in it
 *   (or a higher one) and that run spans at least `sustainedMinutes`. So with consecutive 2 one
 *   outlier does not page; with sustained 60 a value must stay up for an hour of readings.
 * - Hysteresis: while an alert is open at severity S, bands up to S count as entered until the value
 *   is back inside their limit by `hysteresis` (e.g. systolic >= 180 holds until < 175). Holding
 *   needs only the newest reading; climbing to a higher band needs normal confirmation.
 * - Level-based: "firing" is returned at every evaluation while the condition holds; "cleared" only
 *   for an open alert whose condition no longer holds. No current reading in the look-back window:
 *   no finding at all (no opinion; the missing-reading rule speaks then).
 */
import { isPassive } from './passive.js';
import { clearedFinding, severityRank } from './severity.js';
import { formatValue, hoursBefore, labelOf, selectSamples } from './samples.js';
import { resolveThresholds } from './threshold-defaults.js';
import type { AlertSeverity, ComponentKey, ComponentThreshold, OpenAlerts, PatientContext, RuleFinding, ThresholdBand, VitalSample } from './types.js';

export const thresholdRuleId = (key: ComponentKey): string => `threshold:${key}`;
export const backfillRuleId = (key: ComponentKey): string => `threshold:${key}:backfilled`;

/** Most evidence ids a finding carries (the newest). */
const MAX_EVIDENCE = 10;

function inBand(band: ThresholdBand, value: number, relax: number): boolean {
  switch (band.op) {
    case '>=':
      return value >= band.limit - relax;
    case '>':
      return value > band.limit - relax;
    case '<=':
      return value <= band.limit + relax;
    case '<':
      return value < band.limit + relax;
  }
}

/** The highest band a value lies in; with `held`, bands up to that severity are widened by the hysteresis margin. */
export function bandOf(t: ComponentThreshold, value: number, held?: AlertSeverity): ThresholdBand | undefined {
  // High bands first, then low, as one list; without building that list (called per reading).
  return highestBand(t.low, t, value, held, highestBand(t.high, t, value, held, undefined));
}

function highestBand(bands: readonly ThresholdBand[], t: ComponentThreshold, value: number, held: AlertSeverity | undefined, best: ThresholdBand | undefined): ThresholdBand | undefined {
  for (const band of bands) {
    const relax = held !== undefined && severityRank(band.severity) <= severityRank(held) ? t.hysteresis : 0;
    if (inBand(band, value, relax) && (best === undefined || severityRank(band.severity) > severityRank(best.severity))) best = band;
  }
  return best;
}

export interface ConfirmedBand {
  readonly band: ThresholdBand;
  /** The run of newest readings that confirms it, oldest first. */
  readonly run: readonly VitalSample[];
}

/** The highest band confirmed by the newest readings (oldest-first input), or undefined. */
export function confirmBand(t: ComponentThreshold, samples: readonly VitalSample[], held?: AlertSeverity): ConfirmedBand | undefined {
  const latest = samples.at(-1);
  if (!latest) return undefined;
  // Every run ends at the newest reading and stops at the first reading (going back) in no band, so
  // bands are needed only back to there: levels[i - first] is the band of samples[i].
  let first = samples.length;
  const tail: ThresholdBand[] = [];
  for (; first > 0; first--) {
    const band = bandOf(t, samples[first - 1]!.value, held);
    if (band === undefined) break;
    tail.push(band);
  }
  tail.reverse();
  const levels = { at: (i: number) => (i >= first ? tail[i - first] : undefined), from: (i: number) => tail.slice(i - first) };
  for (let rank = 4; rank >= 0; rank--) {
    let start = samples.length;
    while (start > 0) {
      const level = levels.at(start - 1);
      if (level === undefined || severityRank(level.severity) < rank) break;
      start--;
    }
    // The run is samples[start..]; cut only once it confirms (tried for five ranks per evaluation).
    const first = samples[start];
    if (!first) continue;
    const spanMin = (latest.measuredAt.getTime() - first.measuredAt.getTime()) / 60_000;
    if (samples.length - start < Math.max(1, t.consecutive) || spanMin < t.sustainedMinutes) continue;
    // Ranks are tried from the top, so the first confirmed one is the weakest band of its run: what held throughout.
    const band = levels.from(start).find((b) => severityRank(b.severity) === rank);
    if (band) return { band, run: samples.slice(start) };
  }
  return undefined;
}

/**
 * Entering or climbing needs confirmation; holding an open alert does not: while the newest reading
 * alone stays within the hysteresis margin of a band up to the open severity, that band holds.
 */
export function holdOrConfirm(t: ComponentThreshold, samples: readonly VitalSample[], held?: AlertSeverity): ConfirmedBand | undefined {
  const confirmed = confirmBand(t, samples, held);
  const latest = samples.at(-1);
  if (held === undefined || !latest) return confirmed;
  const heldRank = severityRank(held);
  const capped: ComponentThreshold = { ...t, high: t.high.filter((b) => severityRank(b.severity) <= heldRank), low: t.low.filter((b) => severityRank(b.severity) <= heldRank) };
  const holding = bandOf(capped, latest.value, held);
  if (!holding) return confirmed;
  if (confirmed && severityRank(confirmed.band.severity) >= severityRank(holding.severity)) return confirmed;
  return { band: holding, run: [latest] };
}

function describeBand(key: ComponentKey, band: ThresholdBand): string {
  return `${band.op.replace('>=', '≥').replace('<=', '≤')} ${formatValue(key, band.limit)}`;
}

function runText(run: readonly VitalSample[]): string {
  if (run.length < 2) return '1 reading';
  const hours = (run.at(-1)!.measuredAt.getTime() - run[0]!.measuredAt.getTime()) / 3_600_000;
  return `${run.length} consecutive readings over ${hours < 1 ? `${Math.round(hours * 60)} min` : `${Math.round(hours * 10) / 10} h`}`;
}

/** The threshold rule for one component. */
export function evaluateComponentThreshold(
  key: ComponentKey,
  t: ComponentThreshold,
  samples: readonly VitalSample[],
  now: Date,
  open: OpenAlerts = {},
): RuleFinding[] {
  const from = hoursBefore(now, t.lookbackHours);
  const findings: RuleFinding[] = [];
  const label = labelOf(key);

  const ruleId = thresholdRuleId(key);
  const held = open[ruleId];
  const current = selectSamples(samples, { key, from, now });
  const latest = current.at(-1);
  if (latest) {
    const confirmed = holdOrConfirm(t, current, held);
    if (confirmed) {
      const run = confirmed.run;
      findings.push({
        ruleId,
        audience: 'clinical',
        severity: confirmed.band.severity,
        summary: `${label} ${formatValue(key, latest.value)} (${describeBand(key, confirmed.band)}; ${runText(run)})`,
        evidence: {
          readingIds: run.slice(-MAX_EVIDENCE).map((s) => s.readingId),
          values: { value: latest.value, op: confirmed.band.op, limit: confirmed.band.limit, readings: run.length },
        },
        condition: 'firing',
      });
    } else if (held !== undefined) {
      findings.push(
        clearedFinding(ruleId, 'clinical', held, `${label} back to ${formatValue(key, latest.value)}`, {
          readingIds: [latest.readingId],
          values: { value: latest.value },
        }),
      );
    }
  }

  const backId = backfillRuleId(key);
  const late = selectSamples(samples, { key, from, now, late: 'only' });
  let worst: { sample: VitalSample; band: ThresholdBand } | undefined;
  for (const s of late) {
    const band = bandOf(t, s.value);
    if (band && band.severity !== 'info' && (!worst || severityRank(band.severity) >= severityRank(worst.band.severity))) worst = { sample: s, band };
  }
  if (worst) {
    findings.push({
      ruleId: backId,
      audience: 'clinical',
      severity: 'info',
      summary: `Backfilled: ${label} ${formatValue(key, worst.sample.value)} (${describeBand(key, worst.band)}) measured ${worst.sample.measuredAt.toISOString()}, received late`,
      evidence: { readingIds: [worst.sample.readingId], values: { value: worst.sample.value, limit: worst.band.limit, wouldBe: worst.band.severity } },
      condition: 'firing',
      backfilled: true,
    });
  } else if (open[backId] !== undefined) {
    findings.push(clearedFinding(backId, 'clinical', 'info', `No late ${label} reading in a band within ${t.lookbackHours} h`));
  }
  return findings;
}

/** All threshold findings for a patient (none while monitoring is passive). */
export function evaluateThresholds(context: PatientContext, samples: readonly VitalSample[], now: Date, open: OpenAlerts = {}): RuleFinding[] {
  if (isPassive(context, now)) return [];
  const findings: RuleFinding[] = [];
  for (const [key, t] of resolveThresholds(context)) findings.push(...evaluateComponentThreshold(key, t, samples, now, open));
  return findings;
}
