/**
 * Responses as FHIR R4 QuestionnaireResponse resources in a Bundle (type collection), for patient
 * records (hl7.org/fhir/R4/questionnaireresponse.html): `questionnaire` is the definition's
 * canonical `urn:rpm-hub:questionnaire:<id>|<version>`, each item's linkId is the definition's, and
 * each answer has the value[x] of its question type (boolean → valueBoolean, choice → valueCoding,
 * integer → valueInteger, text → valueString). A resident's own answers name the patient as source;
 * a staff member's name the user as author.
 */
import { z } from 'zod';
import type { QuestionnaireDefinition } from '../../../contract/questionnaires/definition.js';
import { questionnaireCanonical } from '../../../contract/questionnaires/definition.js';
import type { StoredResponse } from '../../../hub/questionnaires/questionnaire-model.js';
import { IDENTIFIER_SYSTEMS, isFhirId, reference, stableUuid } from '../export/fhir.js';
import { createHash } from 'node:crypto';

export const RESPONSE_ID_SYSTEM = 'urn:rpm-hub:questionnaire-response-id';

const Coding = z.object({ system: z.string(), code: z.string(), display: z.string() });
const Identifier = z.object({ system: z.string(), value: z.string() });
const Reference = z.object({ reference: z.string().optional(), identifier: Identifier });

export const FhirQuestionnaireResponse = z.object({
  resourceType: z.literal('QuestionnaireResponse'),
  id: z.string(),
  identifier: Identifier,
  questionnaire: z.string().describe('canonical|version of the definition answered'),
  status: z.literal('completed'),
  subject: Reference,
  authored: z.string(),
  author: Reference.optional(),
  source: Reference.optional(),
  item: z.array(
    z.object({
      linkId: z.string(),
      text: z.string(),
      answer: z.array(z.object({ valueBoolean: z.boolean().optional(), valueCoding: Coding.optional(), valueInteger: z.number().int().optional(), valueString: z.string().optional() })),
    }),
  ),
});

export const FhirQuestionnaireBundle = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('collection'),
  timestamp: z.string(),
  entry: z.array(z.object({ fullUrl: z.string(), resource: FhirQuestionnaireResponse })),
});

function answerValue(def: QuestionnaireDefinition, linkId: string, value: boolean | string | number) {
  const q = def.questions.find((x) => x.linkId === linkId)!;
  switch (q.type) {
    case 'boolean':
      return { valueBoolean: value as boolean };
    case 'integer':
      return { valueInteger: value as number };
    case 'text':
      return { valueString: String(value) };
    case 'choice': {
      const option = q.options!.find((o) => o.code === value);
      return { valueCoding: { system: `urn:rpm-hub:questionnaire:${def.id}:${linkId}`, code: String(value), display: option?.display.en ?? String(value) } };
    }
  }
}

const resourceId = (id: string) => (isFhirId(id) ? id : `qr-${createHash('sha256').update(id).digest('hex').slice(0, 40)}`);

export function questionnaireResponseResource(r: StoredResponse, def: QuestionnaireDefinition) {
  const text = new Map(def.questions.map((q) => [q.linkId, q.text.en]));
  return {
    resourceType: 'QuestionnaireResponse' as const,
    id: resourceId(r.id),
    identifier: { system: RESPONSE_ID_SYSTEM, value: r.id },
    questionnaire: questionnaireCanonical(def.id, def.version),
    status: 'completed' as const,
    subject: reference('Patient', r.patientId, IDENTIFIER_SYSTEMS.patient),
    authored: r.answeredAt.toISOString(),
    ...(r.channel === 'staff' && r.enteredBy ? { author: { identifier: { system: IDENTIFIER_SYSTEMS.user, value: r.enteredBy } } } : {}),
    ...(r.channel === 'resident' ? { source: reference('Patient', r.patientId, IDENTIFIER_SYSTEMS.patient) } : {}),
    item: r.answers.filter((a) => text.has(a.linkId)).map((a) => ({ linkId: a.linkId, text: text.get(a.linkId)!, answer: [answerValue(def, a.linkId, a.value)] })),
  };
}

export function questionnaireBundle(list: readonly { response: StoredResponse; definition: QuestionnaireDefinition }[], now: Date) {
  return {
    resourceType: 'Bundle' as const,
    type: 'collection' as const,
    timestamp: now.toISOString(),
    entry: list.map(({ response, definition }) => ({ fullUrl: `urn:uuid:${stableUuid(`qr:${response.id}`)}`, resource: questionnaireResponseResource(response, definition) })),
  };
}
