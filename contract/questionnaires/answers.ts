/**
 * Answers to a questionnaire: checked against the version they answer (type, option, range,
 * required), then scored and tested against the definition's rules. Pure; the API refuses what
 * `checkAnswers` reports, the alert rules call `matchingRules`.
 */
import type { AnswerTest, Condition, Question, QuestionnaireDefinition } from './definition.js';

export type AnswerValue = boolean | string | number;
export interface Answer {
  readonly linkId: string;
  readonly value: AnswerValue;
}

export interface AnswerProblem {
  /** The offending answer, e.g. `answers[2].value`, or `answers` for a missing required one. */
  readonly path: string;
  readonly message: string;
}

function valueProblem(q: Question, value: AnswerValue): string | undefined {
  switch (q.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'choice':
      return typeof value === 'string' && q.options!.some((o) => o.code === value) ? undefined : `expected one of ${q.options!.map((o) => o.code).join(', ')}`;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= q.min! && value <= q.max! ? undefined : `expected a whole number ${q.min}-${q.max}`;
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 && value.length <= (q.maxLength ?? 500) ? undefined : `expected text of 1-${q.maxLength ?? 500} characters`;
  }
}

/** Everything wrong with these answers to this definition; empty when they may be stored. */
export function checkAnswers(def: QuestionnaireDefinition, answers: readonly Answer[]): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const byLink = new Map(def.questions.map((q) => [q.linkId, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const q = byLink.get(a.linkId);
    if (!q) return problems.push({ path: `answers[${i}].linkId`, message: `${def.id} version ${def.version} has no question "${a.linkId}"` });
    if (seen.has(a.linkId)) return problems.push({ path: `answers[${i}].linkId`, message: `"${a.linkId}" is answered twice` });
    seen.add(a.linkId);
    const p = valueProblem(q, a.value);
    if (p) problems.push({ path: `answers[${i}].value`, message: `${a.linkId}: ${p}` });
    return undefined;
  });
  for (const q of def.questions) if (q.required && !seen.has(q.linkId)) problems.push({ path: 'answers', message: `"${q.linkId}" must be answered` });
  return problems;
}

function holds(t: AnswerTest, value: AnswerValue | undefined): boolean {
  if (value === undefined) return false;
  if (t.equals !== undefined && value !== t.equals) return false;
  if (t.in !== undefined && !(typeof value === 'string' && t.in.includes(value))) return false;
  if (t.gte !== undefined && !(typeof value === 'number' && value >= t.gte)) return false;
  if (t.lte !== undefined && !(typeof value === 'number' && value <= t.lte)) return false;
  return true;
}

/** Each score of the definition for these answers. */
export function scoreAnswers(def: QuestionnaireDefinition, answers: readonly Answer[]): Record<string, number> {
  const values = new Map(answers.map((a) => [a.linkId, a.value]));
  const out: Record<string, number> = {};
  for (const s of def.scores) out[s.id] = s.terms.reduce((sum, term) => sum + (term.when.linkId !== undefined && holds(term.when, values.get(term.when.linkId)) ? term.points : 0), 0);
  return out;
}

function conditionHolds(c: Condition, values: ReadonlyMap<string, AnswerValue>, scores: Readonly<Record<string, number>>): boolean {
  const test = (t: AnswerTest) => holds(t, t.score !== undefined ? scores[t.score] : values.get(t.linkId!));
  return 'all' in c ? c.all.every(test) : c.any.some(test);
}

/** The definition's rules whose condition holds on these answers, in definition order. */
export function matchingRules(def: QuestionnaireDefinition, answers: readonly Answer[]): QuestionnaireDefinition['rules'] {
  const values = new Map(answers.map((a) => [a.linkId, a.value]));
  const scores = scoreAnswers(def, answers);
  return def.rules.filter((r) => conditionHolds(r.when, values, scores));
}
