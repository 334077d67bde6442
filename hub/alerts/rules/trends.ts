/**
 * Trend rules: heart-failure weight gain, and deviation from the patient's own baseline.
 *
 * Weight gain [HF]: the latest current weight minus the LOWEST weight in the `windowHours` before
 * it (default 2 kg in 72 h). Min-before-vs-latest catches a gain however it is spread over the
 * window and is not fooled by a higher reading on the way; its weakness is one low outlier (weighed
 * undressed), which the 0.5 kg hysteresis and implausible filtering only partly cover.
 *   McDonagh TA et al. 2021 ESC Guidelines for heart failure, Eur Heart J 2021;42:3599, self-care
 *   advice: "sudden unexpected weight gain of more than 2 kg in 3 days" -> contact the care team.
 * On by default for the heart_failure group; any patient can switch it on.
 *
 * Baseline: the latest current value against the median of the patient's own readings in the
 * `days` before it (the latest excluded), once there are `minCount` of them. `absolute`: fires when
 * |latest - median| >= threshold (in the component's unit). `mad`: fires when |latest - median| >=
 * threshold x max(1.4826 x MAD, minScale), i.e. a robust z-score (Iglewicz & Hoaglin's 3.5 is the
 * usual outlier cut-off); minScale stops a very steady patient alerting on a trivial change. An open
 * alert holds while the deviation is at least 80 % of the threshold (hysteresis).
 * Defaults: temperature +1.1 °C [IDSA 2009: a rise > 1.1 °C over baseline is fever in older adults];
 * SpO2 -3 percentage points [BTS 2017: a fall of 3 % or more within the target range needs assessment];
 * systolic BP and pulse: robust z >= 3.5 either way, scale at least 5.
 * Late readings count as history but the latest value must be current (never late).
 */
import { isPassive } from './passive.js';
import { clearedFinding } from './severity.js';
import { HOUR_MS, DAY_MS, formatValue, labelOf, latestSample, median, memoOverRange, selectSamples, withDefaults } from './samples.js';
import type { BaselineSetting, OpenAlerts, PatientContext, RuleFinding, VitalSample, WeightGainSettings } from './types.js';

export const WEIGHT_GAIN_RULE_ID = 'trend:weight_gain';
export const baselineRuleId = (key: BaselineSetting['key']): string => `baseline:${key}`;

export const DEFAULT_WEIGHT_GAIN: WeightGainSettings = { enabled: false, gainKg: 2, windowHours: 72, hysteresisKg: 0.5, severity: 'medium', maxAgeHours: 48 };

export const DEFAULT_BASELINES: readonly BaselineSetting[] = [
  { key: 'body_temperature.temperature', days: 14, minCount: 5, method: 'absolute', threshold: 1.1, direction: 'high', severity: 'low', maxAgeHours: 24 },
  { key: 'spo2.spo2', days: 14, minCount: 5, method: 'absolute', threshold: 3, direction: 'low', severity: 'low', maxAgeHours: 24 },
  { key: 'blood_pressure.systolic', days: 14, minCount: 7, method: 'mad', threshold: 3.5, minScale: 5, direction: 'both', severity: 'low', maxAgeHours: 24 },
  { key: 'heart_rate.heartRate', days: 14, minCount: 7, method: 'mad', threshold: 3.5, minScale: 5, direction: 'both', severity: 'low', maxAgeHours: 24 },
];

/** Hysteresis of the baseline rule: an open alert holds while the deviation is at least this share of the threshold. */
export const BASELINE_HOLD_FRACTION = 0.8;

const round1 = (v: number) => Math.round(v * 10) / 10;

export function weightGainSettings(context: Pick<PatientContext, 'conditionGroups' | 'weightGain'>): WeightGainSettings {
  return withDefaults({ ...DEFAULT_WEIGHT_GAIN, enabled: context.conditionGroups.includes('heart_failure') }, context.weightGain);
}

export function evaluateWeightGain(context: PatientContext, samples: readonly VitalSample[], now: Date, open: OpenAlerts = {}): RuleFinding[] {
  const s = weightGainSettings(context);
  if (!s.enabled || isPassive(context, now)) return [];
  const key = 'body_weight.weight';
  const latest = latestSample(samples, { key, now, from: new Date(now.getTime() - s.maxAgeHours * HOUR_MS) });
  if (!latest) return [];
  const t = latest.measuredAt.getTime();
  const before = selectSamples(samples, { key, now, from: new Date(t - s.windowHours * HOUR_MS), late: 'include' }).filter(
    (x) => x.measuredAt.getTime() < t,
  );
  if (before.length === 0) return [];
  const lowest = before.reduce((a, b) => (b.value < a.value ? b : a));
  const gain = latest.value - lowest.value;
  const held = open[WEIGHT_GAIN_RULE_ID];
  const limit = held !== undefined ? s.gainKg - s.hysteresisKg : s.gainKg;
  const hours = Math.round((t - lowest.measuredAt.getTime()) / HOUR_MS);
  const evidence = {
    readingIds: [lowest.readingId, latest.readingId],
    values: { gainKg: round1(gain), fromKg: lowest.value, toKg: latest.value, hours, limitKg: s.gainKg, windowHours: s.windowHours },
  };
  const text = `Weight ${gain >= 0 ? 'up' : 'down'} ${round1(Math.abs(gain))} kg in ${hours} h (${formatValue(key, lowest.value)} -> ${formatValue(key, latest.value)}; limit ${s.gainKg} kg in ${s.windowHours} h)`;
  if (gain >= limit) return [{ ruleId: WEIGHT_GAIN_RULE_ID, audience: 'clinical', severity: s.severity, summary: text, evidence, condition: 'firing' }];
  return held === undefined ? [] : [clearedFinding(WEIGHT_GAIN_RULE_ID, 'clinical', held, text, evidence)];
}

export interface BaselineStats {
  readonly median: number;
  /** 1.4826 x median absolute deviation: comparable to a standard deviation for normal data. */
  readonly scaledMad: number;
  readonly count: number;
}

export function baselineStats(values: readonly number[]): BaselineStats {
  const m = median(values);
  return { median: m, scaledMad: 1.4826 * median(values.map((v) => Math.abs(v - m))), count: values.length };
}

/** Deviation of `value` in the rule's measure: units for absolute, robust z for mad. Signed. */
export function baselineDeviation(setting: BaselineSetting, stats: BaselineStats, value: number): number {
  const diff = value - stats.median;
  if (setting.method === 'absolute') return diff;
  return diff / Math.max(stats.scaledMad, setting.minScale ?? 0, Number.EPSILON);
}

export function evaluateBaseline(setting: BaselineSetting, samples: readonly VitalSample[], now: Date, open: OpenAlerts = {}): RuleFinding[] {
  const { key } = setting;
  const latest = latestSample(samples, { key, now, from: new Date(now.getTime() - setting.maxAgeHours * HOUR_MS) });
  if (!latest) return [];
  const t = latest.measuredAt.getTime();
  // The history before the newest reading: [t - days, t), late readings included.
  const stats = memoOverRange(samples, key, t - setting.days * DAY_MS, t, `baseline:${setting.minCount}`, (history) => (history.length < setting.minCount ? undefined : baselineStats(history.map((x) => x.value))));
  if (!stats) return [];
  const dev = baselineDeviation(setting, stats, latest.value);
  const signed = setting.direction === 'high' ? dev : setting.direction === 'low' ? -dev : Math.abs(dev);
  const ruleId = baselineRuleId(key);
  const held = open[ruleId];
  const limit = held !== undefined ? setting.threshold * BASELINE_HOLD_FRACTION : setting.threshold;
  const firing = signed >= limit;
  // Most evaluations neither fire nor clear: the text is written only for a finding.
  const describe = () => ({
    text: `${labelOf(key)} ${formatValue(key, latest.value)} vs own ${setting.days}-day median ${formatValue(key, stats.median)} (${setting.method === 'mad' ? `robust z ${round1(dev)}` : `${dev >= 0 ? '+' : ''}${round1(dev)}`}; limit ${setting.threshold})`,
    evidence: {
      readingIds: [latest.readingId],
      values: { value: latest.value, median: stats.median, scaledMad: round1(stats.scaledMad), count: stats.count, deviation: round1(dev), method: setting.method },
    },
  });
  if (firing) {
    const { text, evidence } = describe();
    return [{ ruleId, audience: 'clinical', severity: setting.severity, summary: text, evidence, condition: 'firing' }];
  }
  if (held === undefined) return [];
  const { text, evidence } = describe();
  return [clearedFinding(ruleId, 'clinical', held, text, evidence)];
}

export function evaluateBaselines(context: PatientContext, samples: readonly VitalSample[], now: Date, open: OpenAlerts = {}): RuleFinding[] {
  if (isPassive(context, now)) return [];
  return (context.baselines ?? DEFAULT_BASELINES).flatMap((b) => evaluateBaseline(b, samples, now, open));
}
