/**
 * What an alert turned out to be, as the person who handled it records it (issue #14): the input
 * of the alert-quality measures. Shared by the hub (stored with the alert's events) and the API.
 * "Action taken" is the positive outcome the positive predictive value counts; its kind says what
 * was done.
 */
import { z } from 'zod';

export const OUTCOME_KINDS = ['action_taken', 'no_action_needed', 'technical_or_measurement_error', 'false_alarm'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const ACTION_KINDS = ['call', 'visit', 'gp_or_hospital_contact', 'medication_change'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

const Text = z.string().trim().min(1).max(1000).optional().describe('Free text, e.g. what was done or why it was a false alarm');

/** The outcome as a client sends it: `action` is required with, and only allowed with, action_taken. */
export const OutcomeInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('action_taken'), action: z.enum(ACTION_KINDS).describe('What was done'), text: Text }).strict(),
  z.object({ kind: z.literal('no_action_needed'), text: Text }).strict(),
  z.object({ kind: z.literal('technical_or_measurement_error'), text: Text }).strict(),
  z.object({ kind: z.literal('false_alarm'), text: Text }).strict(),
]);
export type OutcomeInput = z.output<typeof OutcomeInput>;
