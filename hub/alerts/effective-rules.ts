/**
 * The rules as the engine applies them to one patient, for people to see: threshold bands after
 * defaults, condition groups and the patient's overrides are merged (the same resolveThresholds the
 * engine uses, so a chart's bands are the engine's bands), passive intervals and the time zone.
 */
import { parsePatientRuleConfig, patientContext, resolveThresholds, type ThresholdBand } from './rules/index.js';

export interface EffectiveThreshold {
  /** `<kind>.<component>`, e.g. blood_pressure.systolic */
  readonly key: string;
  readonly high: readonly ThresholdBand[];
  readonly low: readonly ThresholdBand[];
  readonly disabled: boolean;
}

export interface EffectiveRules {
  readonly valid: boolean;
  readonly timeZone: string;
  readonly conditionGroups: readonly string[];
  readonly thresholds: readonly EffectiveThreshold[];
  readonly passiveIntervals: readonly { readonly from: Date; readonly to?: Date; readonly reason: string }[];
}

/** A stored configuration that no longer validates shows the defaults, flagged, rather than nothing. */
export function effectiveRules(patientId: string, storedConfig: unknown): EffectiveRules {
  const parsed = parsePatientRuleConfig(storedConfig ?? {});
  const fallback = parsePatientRuleConfig({});
  if (!fallback.ok) throw new Error('the empty rule configuration must validate');
  const config = parsed.ok ? parsed.value : fallback.value;
  const context = patientContext(patientId, config);
  const thresholds = [...resolveThresholds(context)].map(([key, t]) => ({ key, high: t.high, low: t.low, disabled: t.disabled === true }));
  return {
    valid: parsed.ok,
    timeZone: context.timeZone,
    conditionGroups: context.conditionGroups,
    thresholds,
    passiveIntervals: context.passiveIntervals ?? [],
  };
}
