/**
 * What an alert turned out to be, as the person who handled it records it (issue #14): the
 * measure of alert quality. "Action taken" is the positive outcome the analytics count for the
 * positive predictive value; the kind of action says what was done. Recorded when acknowledging or
 * resolving, or later; a correction is a new event in the alert's history, never an edit, and the
 * alert row keeps the latest one for the analytics.
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

/** The outcome as the alert keeps it: who recorded it and when. */
export interface AlertOutcome {
  readonly kind: OutcomeKind;
  readonly action?: ActionKind;
  readonly text?: string;
  readonly by: string;
  readonly at: Date;
}

export function outcomeOf(input: OutcomeInput, by: string, at: Date): AlertOutcome {
  return { kind: input.kind, ...(input.kind === 'action_taken' ? { action: input.action } : {}), ...(input.text ? { text: input.text } : {}), by, at };
}
