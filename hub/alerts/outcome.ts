/**
 * Outcomes on alerts (contract/schemas/alert-outcome.ts): recorded when acknowledging or resolving,
 * or later; a correction is a new 'outcome_recorded' event in the alert's history, never an edit,
 * and the alert row keeps the latest one for the analytics (migration 060).
 */
import type { ActionKind, OutcomeInput, OutcomeKind } from '../../contract/index.js';

export { ACTION_KINDS, OUTCOME_KINDS, OutcomeInput, type ActionKind, type OutcomeKind } from '../../contract/index.js';

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
