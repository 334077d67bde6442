/**
 * Alert events in one process: the alert engine publishes, the live stream subscribes per care
 * team. A listener that throws is dropped from that event, never from the bus or other listeners.
 */
import type { AlertMessage } from '../../contract/index.js';
import type { AlertEvents, AlertListener } from '../services.js';

interface Subscription {
  readonly teams: ReadonlySet<string> | 'all';
  readonly listener: AlertListener;
}

export class InProcessAlertEvents implements AlertEvents {
  private readonly subscriptions = new Set<Subscription>();

  subscribe(careTeamIds: readonly string[] | 'all', listener: AlertListener): () => void {
    const sub: Subscription = { teams: careTeamIds === 'all' ? 'all' : new Set(careTeamIds), listener };
    this.subscriptions.add(sub);
    return () => {
      this.subscriptions.delete(sub);
    };
  }

  publish(event: AlertMessage): void {
    for (const sub of [...this.subscriptions]) {
      if (sub.teams !== 'all' && !sub.teams.has(event.careTeamId)) continue;
      try {
        sub.listener(event);
      } catch {
        // one broken listener must not keep the event from the others
      }
    }
  }

  /** Open subscriptions (tests: a closed stream must unsubscribe). */
  get listeners(): number {
    return this.subscriptions.size;
  }
}
