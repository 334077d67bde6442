import { z } from 'zod';
import { LocalText } from '../../../contract/questionnaires/definition.js';
import { InstantIn, InstantOut, PatientParams } from '../../common-schemas.js';

export { PatientParams };

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a questionnaire id, e.g. copd-symptoms');

export const DefinitionParams = z.object({ questionnaireId: Slug, version: z.coerce.number().int().min(1) });

/**
 * A definition on the way in: the shape is checked in full by contract/questionnaires/definition.ts
 * (cross-references between questions, scores and rules), which names every offending field.
 */
export const DefinitionBody = z.record(z.string(), z.unknown()).describe('A questionnaire definition: id, version, title {da,sv,en}, questions, scores, rules (docs/questionnaires.md)');

const Test = z.object({
  linkId: z.string().optional(),
  score: z.string().optional(),
  equals: z.union([z.boolean(), z.string(), z.number()]).optional(),
  in: z.array(z.string()).optional(),
  gte: z.number().optional(),
  lte: z.number().optional(),
});

export const DefinitionOut = z.object({
  id: z.string(),
  version: z.number().int(),
  title: LocalText,
  conditionGroups: z.array(z.string()),
  validForHours: z.number(),
  shipped: z.boolean().describe('Shipped with the hub (true) or added by the organisation'),
  questions: z.array(
    z.object({
      linkId: z.string(),
      type: z.enum(['boolean', 'choice', 'integer', 'text']),
      text: LocalText,
      required: z.boolean(),
      options: z.array(z.object({ code: z.string(), display: LocalText })).optional(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
      maxLength: z.number().int().optional(),
      source: z.string(),
    }),
  ),
  scores: z.array(z.object({ id: z.string(), title: LocalText, terms: z.array(z.object({ when: Test, points: z.number() })), source: z.string() })),
  rules: z.array(
    z.object({
      ruleId: z.string(),
      when: z.union([z.object({ all: z.array(Test) }), z.object({ any: z.array(Test) })]),
      severity: z.enum(['info', 'low', 'medium', 'high', 'urgent']),
      summary: z.string(),
      source: z.string(),
    }),
  ),
});

export const DefinitionList = z.object({ questionnaires: z.array(DefinitionOut) });

export const AnswerIn = z.object({ linkId: z.string().min(1).max(64), value: z.union([z.boolean(), z.string().max(2000), z.number()]) }).strict();

export const ResponseBody = z
  .object({
    questionnaire: Slug,
    version: z.number().int().min(1),
    answeredAt: InstantIn.optional().describe('When the resident answered (default: now); at most 7 days back'),
    answers: z.array(AnswerIn).min(1).max(40),
  })
  .strict();

export const LinkAnswerBody = z.object({ answers: z.array(AnswerIn).min(1).max(40), language: z.enum(['da', 'sv', 'en']).optional() }).strict();

export const ResponseOut = z.object({
  id: z.string(),
  patientId: z.string(),
  questionnaire: z.string(),
  version: z.number().int(),
  answeredAt: InstantOut,
  enteredAt: InstantOut,
  channel: z.enum(['staff', 'resident']).describe('staff: typed in by a user; resident: answered through an answer link'),
  enteredBy: z.string().optional(),
  enteredRole: z.string().optional(),
  answers: z.array(AnswerIn),
  scores: z.record(z.string(), z.number()),
  /** Rules of the version whose condition holds on these answers. */
  matchedRules: z.array(z.object({ ruleId: z.string(), severity: z.string(), summary: z.string() })),
});

export const ResponseList = z.object({ patientId: z.string(), from: InstantOut, to: InstantOut, responses: z.array(ResponseOut) });

export const ResponsesQuery = z.object({ from: InstantIn.optional(), to: InstantIn.optional() });

export const LinkBody = z
  .object({
    questionnaire: Slug,
    version: z.number().int().min(1).optional().describe('Default: the newest version'),
    minutes: z.number().int().min(5).max(24 * 60).default(60).describe('How long the link may be used (5 minutes to 24 hours); it works once'),
  })
  .strict();

export const LinkOut = z.object({
  id: z.string(),
  token: z.string().describe('Shown once; only its SHA-256 is stored'),
  path: z.string().describe('Where the resident answers: /app/q/<token>'),
  questionnaire: z.string(),
  version: z.number().int(),
  expiresAt: InstantOut,
});

export const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'expected an answer-link token') });

export const LinkView = z.object({
  firstName: z.string().describe('Only the first name: the page may be on a shared screen'),
  expiresAt: InstantOut,
  questionnaire: DefinitionOut.omit({ scores: true, rules: true }),
});

export const LinkAnswered = z.object({ answeredAt: InstantOut });
