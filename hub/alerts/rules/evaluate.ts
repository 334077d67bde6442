/**
 * One call for the engine: every clinical rule for one patient (thresholds, NEWS2, weight gain,
 * baselines, missing readings) plus the data-quality rule, with the patient's open alerts fed back
 * for hysteresis and clearing. Nothing at all while monitoring is passive. Technical rules about
 * the home (gateway, batteries, clocks) are per home: see evaluateHome in technical.ts.
 *
 * The engine fetches at least `historyNeededMs(context)` of the patient's readings (InfluxDB,
 * measurement time), turns them into samples with samplesFromReadings, and for each finding
 * upserts the alert keyed by (patient, ruleId): firing opens or updates it, cleared resolves it.
 */
import { evaluateImplausible } from './data-quality.js';
import { evaluateMissing, type MissingSettings } from './missing.js';
import { DEFAULT_NEWS2, evaluateNews2, NEWS2_RULE_ID } from './news2.js';
import { isPassive } from './passive.js';
import { evaluateMissingQuestionnaires, evaluateQuestionnaireAnswers } from './questionnaire.js';
import { DAY_MS, HOUR_MS } from './samples.js';
import { scheduleHistoryMs } from './schedule.js';
import { resolveThresholds } from './threshold-defaults.js';
import { familyPrints, sharedOnce, type SharedFindings } from './shared-findings.js';
import { backfillRuleId, evaluateComponentThreshold, thresholdRuleId } from './thresholds.js';
import { baselineRuleId, DEFAULT_BASELINES, evaluateBaseline, evaluateBaselines, evaluateWeightGain, WEIGHT_GAIN_RULE_ID, weightGainSettings } from './trends.js';
import type { AnsweredQuestionnaireFacts, AssistedObservations, HomeStatus, OpenAlerts, PatientContext, RuleFinding, VitalKind, VitalSample } from './types.js';

export interface PatientEvaluationInput {
  readonly context: PatientContext;
  /** The patient's readings as samples, covering at least historyNeededMs(context) before now. */
  readonly samples: readonly VitalSample[];
  /** NEWS2 parameters entered by a nurse or carer (respiration rate, air/oxygen, consciousness). */
  readonly assisted?: AssistedObservations;
  /** The home's gateway and devices, to tell the cause of a missing reading. */
  readonly home?: HomeStatus;
  /** The patient's open alerts by rule id, with their current severity. */
  readonly open?: OpenAlerts;
  /** Newest measurement time per kind, when the samples do not reach back far enough (InfluxDB last()). */
  readonly lastReadingAt?: Readonly<Partial<Record<VitalKind, Date>>>;
  readonly missingSettings?: MissingSettings;
  /** The newest response per questionnaire, with the version it answered; absent: questionnaire rules are not evaluated. */
  readonly questionnaires?: readonly AnsweredQuestionnaireFacts[];
  /**
   * Findings of other configurations evaluated at this instant on these very samples (and the same
   * assisted entries): a back-test's current and candidate configurations share the families they
   * do not differ in. Absent: every family is evaluated.
   */
  readonly shared?: SharedFindings;
}

/** All findings for one patient at `now`, sorted by rule id (deterministic). */
export function evaluatePatient(input: PatientEvaluationInput, now: Date): RuleFinding[] {
  const { context, samples } = input;
  if (isPassive(context, now)) return [];
  const open = input.open ?? {};
  const findings: RuleFinding[] = [];
  const { shared } = input;
  if (shared) {
    // The same families as below, each taken from another configuration's evaluation where its
    // settings and open severities are the same (shared-findings.ts).
    const prints = familyPrints(context);
    for (const { key, threshold, print } of prints.thresholds) {
      findings.push(...sharedOnce(shared, print, [open[thresholdRuleId(key)], open[backfillRuleId(key)]], () => evaluateComponentThreshold(key, threshold, samples, now, open)));
    }
    // Assisted entries are part of the samples' instant: a back-test has none; the live engine shares nothing.
    findings.push(...sharedOnce(shared, prints.news2, [open[NEWS2_RULE_ID]], () => evaluateNews2(context, samples, input.assisted ?? {}, now, open)));
    findings.push(...sharedOnce(shared, prints.weightGain, [open[WEIGHT_GAIN_RULE_ID]], () => evaluateWeightGain(context, samples, now, open)));
    for (const { setting, print } of prints.baselines) findings.push(...sharedOnce(shared, print, [open[baselineRuleId(setting.key)]], () => evaluateBaseline(setting, samples, now, open)));
  } else {
    for (const [key, t] of resolveThresholds(context)) findings.push(...evaluateComponentThreshold(key, t, samples, now, open));
    findings.push(...evaluateNews2(context, samples, input.assisted ?? {}, now, open));
    findings.push(...evaluateWeightGain(context, samples, now, open));
    findings.push(...evaluateBaselines(context, samples, now, open));
  }
  // Without schedules the missing-reading rule finds nothing (evaluateMissing's own first test): its input is not built.
  if (context.schedules?.length) {
    findings.push(
      ...evaluateMissing({
        context,
        samples,
        now,
        open,
        ...(input.home ? { home: input.home } : {}),
        ...(input.lastReadingAt ? { lastReadingAt: input.lastReadingAt } : {}),
        ...(input.missingSettings ? { settings: input.missingSettings } : {}),
      }),
    );
  }
  // Only where the caller read the answers: a back-test that replays readings alone must not see every
  // scheduled questionnaire as unanswered.
  if (input.questionnaires) {
    findings.push(...evaluateQuestionnaireAnswers(input.questionnaires, context, now, open));
    findings.push(...evaluateMissingQuestionnaires(input.questionnaires, context, now, open));
  }
  findings.push(...evaluateImplausible(samples, now, open));
  return findings.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

/** How much reading history (by measurement time) the engine must hand in for this patient. */
export function historyNeededMs(context: PatientContext): number {
  const spans = [DEFAULT_NEWS2.windowHours * HOUR_MS, (context.news2?.windowHours ?? 0) * HOUR_MS, 24 * HOUR_MS];
  for (const t of resolveThresholds(context).values()) spans.push(t.lookbackHours * HOUR_MS);
  const w = weightGainSettings(context);
  if (w.enabled) spans.push((w.windowHours + w.maxAgeHours) * HOUR_MS);
  for (const b of context.baselines ?? DEFAULT_BASELINES) spans.push(b.days * DAY_MS + b.maxAgeHours * HOUR_MS);
  return Math.max(...spans);
}

/** How far back the engine must know the last reading per scheduled kind (use lastReadingAt beyond historyNeededMs). */
export function scheduleLookbackMs(context: PatientContext): number {
  return scheduleHistoryMs(context.schedules ?? []);
}
