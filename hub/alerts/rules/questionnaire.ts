/**
 * Alert rules on questionnaire answers, and questionnaires the resident did not answer.
 *
 * Answers: for each questionnaire, the newest response counts while it is younger than its
 * definition's `validForHours`. Every rule of the answered version whose condition holds fires as
 * `questionnaire:<questionnaire id>:<rule id>` with the rule's severity; an open one whose condition
 * no longer holds on the newest response (or whose response grew too old) clears. Rule ids are per
 * questionnaire, not per version, so a new version with the same rule keeps the same alert.
 *
 * Missing: a questionnaire schedule (daily by a time, or every N hours) is the reading schedule of
 * schedule.ts; any response to that questionnaire since the slot opened satisfies it. A missed slot
 * fires `missing-questionnaire:<id>` with cause `resident_did_not_answer`. Not `missing:`: answers do
 * not travel through the home's gateway, so the engine must not mute these while the box is offline.
 */
import { matchingRules, scoreAnswers } from '../../../contract/questionnaires/answers.js';
import { clearedFinding } from './severity.js';
import { DEFAULT_GRACE_MINUTES, MAX_SLOTS, formatLocal, missedSlots } from './schedule.js';
import { HOUR_MS } from './samples.js';
import { passiveIntervalAt } from './passive.js';
import type { AnsweredQuestionnaireFacts, OpenAlerts, PatientContext, QuestionnaireSchedule, RuleFinding } from './types.js';

export const questionnaireRuleId = (questionnaireId: string, ruleId: string): string => `questionnaire:${questionnaireId}:${ruleId}`;
export const missingQuestionnaireRuleId = (questionnaireId: string): string => `missing-questionnaire:${questionnaireId}`;

export function evaluateQuestionnaireAnswers(answered: readonly AnsweredQuestionnaireFacts[], context: PatientContext, now: Date, open: OpenAlerts): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const firing = new Set<string>();
  for (const a of answered) {
    const def = a.definition;
    const age = now.getTime() - a.answeredAt.getTime();
    if (age < 0 || age > def.validForHours * HOUR_MS) continue;
    const scores = scoreAnswers(def, a.answers);
    for (const rule of matchingRules(def, a.answers)) {
      const ruleId = questionnaireRuleId(def.id, rule.ruleId);
      firing.add(ruleId);
      findings.push({
        ruleId,
        audience: 'clinical',
        severity: rule.severity,
        summary: `${rule.summary} (${def.id} v${def.version}, answered ${formatLocal(a.answeredAt.getTime(), context.timeZone)})`,
        evidence: {
          readingIds: [a.responseId],
          values: {
            questionnaire: def.id,
            version: def.version,
            rule: rule.ruleId,
            answeredAt: a.answeredAt.toISOString(),
            ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [`score.${k}`, v])),
          },
        },
        condition: 'firing',
      });
    }
  }
  for (const [ruleId, severity] of Object.entries(open)) {
    if (!ruleId.startsWith('questionnaire:') || firing.has(ruleId)) continue;
    findings.push(clearedFinding(ruleId, 'clinical', severity, 'the newest answers no longer meet this rule'));
  }
  return findings;
}

function describe(s: QuestionnaireSchedule): string {
  return s.type === 'interval' ? `every ${s.everyHours} h` : `by ${s.by}${s.daysOfWeek ? ` on days ${s.daysOfWeek.join(',')}` : ' daily'}`;
}

export function evaluateMissingQuestionnaires(answered: readonly AnsweredQuestionnaireFacts[], context: PatientContext, now: Date, open: OpenAlerts): RuleFinding[] {
  if (passiveIntervalAt(context.passiveIntervals, now)) return [];
  const lastAt = new Map<string, number>();
  for (const a of answered) lastAt.set(a.definition.id, Math.max(lastAt.get(a.definition.id) ?? -Infinity, a.answeredAt.getTime()));
  const findings: RuleFinding[] = [];
  for (const schedule of context.questionnaireSchedules ?? []) {
    const ruleId = missingQuestionnaireRuleId(schedule.questionnaire);
    const last = lastAt.get(schedule.questionnaire);
    const missed = missedSlots({
      schedule,
      timeZone: context.timeZone,
      now: now.getTime(),
      ...(last !== undefined && { lastReadingAt: last }),
      ...(context.passiveIntervals && { passiveIntervals: context.passiveIntervals }),
      ...(context.monitoringSince && { monitoringSince: context.monitoringSince.getTime() }),
    });
    const lastText = last === undefined ? 'never answered' : `last answered ${formatLocal(last, context.timeZone)}`;
    if (missed.count === 0) {
      const held = open[ruleId];
      if (held !== undefined) findings.push(clearedFinding(ruleId, 'clinical', held, `${schedule.questionnaire} answered (${lastText})`));
      continue;
    }
    const escalated = missed.count >= (schedule.escalateAfterMissed ?? 2);
    const due = missed.dueAt === undefined ? '' : `, due ${formatLocal(missed.dueAt, context.timeZone)}`;
    findings.push({
      ruleId,
      audience: 'clinical',
      severity: escalated ? (schedule.escalatedSeverity ?? 'high') : (schedule.severity ?? 'medium'),
      summary: `No answers to ${schedule.questionnaire} (${describe(schedule)}${due}; ${missed.count}${missed.count >= MAX_SLOTS ? '+' : ''} missed; ${lastText}): resident did not answer`,
      evidence: {
        readingIds: [],
        values: {
          questionnaire: schedule.questionnaire,
          missed: missed.count,
          dueAt: missed.dueAt === undefined ? null : new Date(missed.dueAt).toISOString(),
          lastAnsweredAt: last === undefined ? null : new Date(last).toISOString(),
          graceMinutes: schedule.graceMinutes ?? DEFAULT_GRACE_MINUTES,
        },
      },
      condition: 'firing',
      cause: 'resident_did_not_answer',
    });
  }
  return findings;
}
