/**
 * What a person does to an alert (acknowledge, resolve, snooze, comment): read it, run the pure
 * transition, route any page it causes, write alert, event and notifications in one transaction.
 * A concurrent change (the engine updating the same alert) re-reads and tries again.
 */
import { acknowledge, comment, recordOutcome, resolve, snooze, type Transition } from './lifecycle.js';
import type { OutcomeInput } from './outcome.js';
import { settle } from './escalation.js';
import { routingFor, toWrite, type EngineDeps } from './engine-deps.js';
import { EMPTY_ROUTING } from './routing-config.js';
import { AlertConflictError, type StoredAlert } from './store.js';

export class AlertNotFoundError extends Error {
  /** The API maps it by this code (contract/part-errors.ts), not by class. */
  readonly partError = 'not_found' as const;
  constructor(readonly alertId: string) {
    super(`no alert ${alertId}`);
    this.name = 'AlertNotFoundError';
  }
}

export type AlertAction =
  | { readonly type: 'acknowledge'; readonly note?: string; readonly outcome?: OutcomeInput }
  | { readonly type: 'resolve'; readonly note?: string; readonly outcome?: OutcomeInput }
  | { readonly type: 'outcome'; readonly outcome: OutcomeInput }
  | { readonly type: 'snooze'; readonly until: Date; readonly reason: string }
  | { readonly type: 'comment'; readonly text: string };

function transition(alert: StoredAlert, actor: string, now: Date, action: AlertAction): Transition {
  switch (action.type) {
    case 'acknowledge':
      return acknowledge(alert, actor, now, action.note, action.outcome);
    case 'resolve':
      return resolve(alert, actor, now, action.note, action.outcome);
    case 'outcome':
      return recordOutcome(alert, actor, now, action.outcome);
    case 'snooze':
      return snooze(alert, actor, now, action.until, action.reason);
    case 'comment':
      return comment(alert, actor, now, action.text);
  }
}

/** Runs the action; LifecycleError (not allowed in this state) and AlertNotFoundError propagate. */
export async function performAction(deps: EngineDeps, alertId: string, actor: string, action: AlertAction, check?: (alert: StoredAlert) => void): Promise<StoredAlert> {
  for (let attempt = 1; ; attempt++) {
    const alert = await deps.store.get(alertId);
    if (!alert) throw new AlertNotFoundError(alertId);
    check?.(alert);
    const now = deps.now();
    const t = transition(alert, actor, now, action);
    const settled = settle(t, t.page ? await routingFor(deps, alert.careTeamId) : EMPTY_ROUTING, now);
    const write = toWrite(deps, settled, alert.version, now);
    try {
      await deps.store.write([write]);
    } catch (err) {
      if (err instanceof AlertConflictError && attempt < 5) continue;
      throw err;
    }
    if (write.notifications.length > 0) deps.onNotifications();
    return { ...settled.alert, version: alert.version + 1 };
  }
}
