/**
 * Questionnaires as data: a versioned definition (questions, answer types, scoring, alert rules on
 * the answers), each question and rule citing its clinical source. The shipped defaults
 * (defaults.ts) and an organisation's own definitions (POST /questionnaires) are both this JSON,
 * validated here, so adding one needs no code. A definition is immutable once stored: a change is a
 * new version, and a response names the version it answered.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../schemas/alert.js';
import { parseWith, type Parsed } from '../schemas/common.js';

export const QUESTIONNAIRE_LANGUAGES = ['da', 'sv', 'en'] as const;
export type QuestionnaireLanguage = (typeof QUESTIONNAIRE_LANGUAGES)[number];

/** Danish, Swedish and English text: residents read it in their language, clinicians in theirs. */
export const LocalText = z.object({ da: z.string().min(1).max(500), sv: z.string().min(1).max(500), en: z.string().min(1).max(500) }).strict();
export type LocalText = z.infer<typeof LocalText>;

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected 1-64 characters of a-z 0-9 -, starting with a letter or digit');

/** Where a question or rule comes from: a guideline or paper a clinician can look up. */
export const Citation = z.string().min(10).max(400);

export const ANSWER_TYPES = ['boolean', 'choice', 'integer', 'text'] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];

const AnswerOption = z.object({ code: Slug, display: LocalText }).strict();

export const QuestionSchema = z
  .object({
    linkId: Slug,
    type: z.enum(ANSWER_TYPES),
    text: LocalText,
    /** Unanswered required questions refuse the response. */
    required: z.boolean().default(true),
    /** choice: the allowed answers. */
    options: z.array(AnswerOption).min(2).max(12).optional(),
    /** integer: the believable range (inclusive); anything outside is a typo and refused. */
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    /** text: the longest answer kept. */
    maxLength: z.number().int().min(1).max(2000).optional(),
    source: Citation,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.type === 'choice' && (!q.options || new Set(q.options.map((o) => o.code)).size !== q.options.length))
      ctx.addIssue({ code: 'custom', message: 'a choice question needs options with distinct codes', path: ['options'] });
    if (q.type !== 'choice' && q.options) ctx.addIssue({ code: 'custom', message: 'only choice questions have options', path: ['options'] });
    if (q.type === 'integer' && (q.min === undefined || q.max === undefined || q.min > q.max))
      ctx.addIssue({ code: 'custom', message: 'an integer question needs min <= max', path: ['min'] });
    if (q.type !== 'integer' && (q.min !== undefined || q.max !== undefined)) ctx.addIssue({ code: 'custom', message: 'only integer questions have min/max', path: ['min'] });
  });
export type Question = z.output<typeof QuestionSchema>;

/** One test on one answer (or on a score): all given comparisons must hold. */
export const AnswerTest = z
  .object({
    linkId: Slug.optional(),
    score: Slug.optional(),
    equals: z.union([z.boolean(), z.string(), z.number()]).optional(),
    in: z.array(z.string()).min(1).max(12).optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
  })
  .strict()
  .refine((t) => (t.linkId === undefined) !== (t.score === undefined), { message: 'a test names exactly one of linkId or score' })
  .refine((t) => t.equals !== undefined || t.in !== undefined || t.gte !== undefined || t.lte !== undefined, { message: 'a test needs equals, in, gte or lte' });
export type AnswerTest = z.infer<typeof AnswerTest>;

/** all: every test holds; any: at least one does. */
export const Condition = z.union([z.object({ all: z.array(AnswerTest).min(1).max(20) }).strict(), z.object({ any: z.array(AnswerTest).min(1).max(20) }).strict()]);
export type Condition = z.infer<typeof Condition>;

/** A score: the sum of the points of the terms whose test holds. */
export const ScoreSchema = z
  .object({
    id: Slug,
    title: LocalText,
    terms: z.array(z.object({ when: AnswerTest, points: z.number().int().min(-100).max(100) }).strict()).min(1).max(40),
    source: Citation,
  })
  .strict();
export type Score = z.infer<typeof ScoreSchema>;

/** An alert rule on the answers: when the condition holds on the newest response, an alert `questionnaire:<id>:<ruleId>` opens. */
export const AnswerRuleSchema = z
  .object({
    ruleId: Slug,
    when: Condition,
    severity: z.enum(ALERT_SEVERITIES),
    /** The alert's summary (English: the alert list's language; never a patient name). */
    summary: z.string().min(3).max(200),
    source: Citation,
  })
  .strict();
export type AnswerRule = z.infer<typeof AnswerRuleSchema>;

export const QuestionnaireDefinitionSchema = z
  .object({
    id: Slug,
    version: z.number().int().min(1).max(100_000),
    title: LocalText,
    /** Condition groups it is meant for (copd, heart_failure, ...); informative, not a restriction. */
    conditionGroups: z.array(z.string().regex(/^[a-z_]{1,32}$/)).max(8).default([]),
    /** The newest response counts for the rules this long; then its alerts clear and the schedule asks again. */
    validForHours: z.number().positive().max(24 * 14).default(24),
    questions: z.array(QuestionSchema).min(1).max(40),
    scores: z.array(ScoreSchema).max(8).default([]),
    rules: z.array(AnswerRuleSchema).max(20).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const links = new Map(d.questions.map((q) => [q.linkId, q]));
    if (links.size !== d.questions.length) ctx.addIssue({ code: 'custom', message: 'linkIds must be distinct', path: ['questions'] });
    const scores = new Set(d.scores.map((s) => s.id));
    if (scores.size !== d.scores.length) ctx.addIssue({ code: 'custom', message: 'score ids must be distinct', path: ['scores'] });
    if (new Set(d.rules.map((r) => r.ruleId)).size !== d.rules.length) ctx.addIssue({ code: 'custom', message: 'ruleIds must be distinct', path: ['rules'] });
    const check = (t: AnswerTest, path: (string | number)[]) => {
      if (t.score !== undefined && !scores.has(t.score)) ctx.addIssue({ code: 'custom', message: `no score "${t.score}"`, path });
      if (t.linkId === undefined) return;
      const q = links.get(t.linkId);
      if (!q) return ctx.addIssue({ code: 'custom', message: `no question "${t.linkId}"`, path });
      const codes = new Set(q.options?.map((o) => o.code) ?? []);
      for (const c of t.in ?? []) if (!codes.has(c)) ctx.addIssue({ code: 'custom', message: `"${c}" is not an option of ${q.linkId}`, path });
    };
    d.scores.forEach((s, i) => s.terms.forEach((t, j) => check(t.when, ['scores', i, 'terms', j, 'when'])));
    d.rules.forEach((r, i) => ('all' in r.when ? r.when.all : r.when.any).forEach((t, j) => check(t, ['rules', i, 'when', j])));
  });

export type QuestionnaireDefinitionInput = z.input<typeof QuestionnaireDefinitionSchema>;
export type QuestionnaireDefinition = z.output<typeof QuestionnaireDefinitionSchema>;

export function parseQuestionnaireDefinition(json: unknown): Parsed<QuestionnaireDefinition> {
  return parseWith(QuestionnaireDefinitionSchema, json);
}

/** The FHIR canonical URL of a definition (QuestionnaireResponse.questionnaire is `canonical|version`). */
export const QUESTIONNAIRE_CANONICAL_BASE = 'urn:rpm-hub:questionnaire:';
export const questionnaireCanonical = (id: string, version: number): string => `${QUESTIONNAIRE_CANONICAL_BASE}${id}|${version}`;
