/**
 * The open alerts the page shows, kept current from the list and the live stream. Pure: a live
 * event or a re-sync never duplicates an alert (one entry per id) and never goes back in time
 * (the higher revision wins), whatever order they arrive in.
 */
import type { Alert } from '../api/types.js';

export type AlertMap = ReadonlyMap<string, Alert>;

const SEVERITY_ORDER = ['urgent', 'high', 'medium', 'low', 'info'] as const;

export function mergeAlerts(current: AlertMap, incoming: readonly Alert[]): AlertMap {
  const next = new Map(current);
  for (const alert of incoming) {
    const known = next.get(alert.id);
    if (!known || known.revision <= alert.revision) next.set(alert.id, alert);
  }
  return next;
}

/**
 * A full re-sync after (re)connecting: the list is the truth (an alert missing from it was resolved
 * meanwhile), except where the page already holds a newer revision of a listed alert.
 */
export function resync(current: AlertMap, list: readonly Alert[]): AlertMap {
  const next = new Map<string, Alert>();
  let changed = false;
  for (const alert of list) {
    const known = current.get(alert.id);
    // The same revision is the same alert: keep the object the page already holds, so memoised
    // rows see no change and a re-sync that changed nothing re-renders nothing.
    const kept = known && known.revision >= alert.revision ? known : alert;
    if (kept !== known) changed = true;
    next.set(alert.id, kept);
  }
  return changed || next.size !== current.size ? next : current;
}

/** Resolved alerts leave the inbox; open and acknowledged stay until resolved. */
export function inboxOf(alerts: AlertMap): Alert[] {
  return [...alerts.values()].filter((a) => a.state !== 'resolved').sort(compareAlerts);
}

/** Most severe first, then open before acknowledged, then newest first. */
export function compareAlerts(a: Alert, b: Alert): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1) ||
    (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0)
  );
}

export function severityRank(severity: Alert['severity'] | null | undefined): number {
  return severity ? SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(severity) : 0;
}
