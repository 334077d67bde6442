/**
 * A back-test's refusal in the user's language (RFC 9457 problem from POST /backtest, see
 * docs/alerts.md §14): another team, a period beyond what InfluxDB keeps, an invalid candidate
 * (each field named), an empty group, work beyond the deadline. Anything else as elsewhere.
 */
import type { TFunction } from 'i18next';
import { ApiProblem } from '../../api/client.js';
import { problemText } from '../../components/ProblemMessage.js';
import { formatDateTime } from '../../lib/format.js';

export interface BacktestProblem {
  readonly text: string;
  /** The candidate's fields the hub refused: `thresholds.spo2.spo2.low[0].limit: …`. */
  readonly fields: readonly string[];
}

export function backtestProblem(t: TFunction, locale: string, err: unknown): BacktestProblem {
  if (!(err instanceof ApiProblem)) return { text: problemText(t, err), fields: [] };
  const p = err.problem;
  const errors = p.errors ?? [];
  if (p.status === 404) return { text: t('analytics.errors.notFound'), fields: [] };
  if (p.status === 400) {
    const config = errors.filter((e) => e.path.startsWith('body.config'));
    if (config.length > 0) return { text: t('analytics.errors.invalidConfig'), fields: config.map((e) => `${e.path.replace(/^body\.config\.?/, '') || '—'}: ${e.message}`) };
    if (errors.some((e) => e.path === 'body.population')) return { text: t('analytics.errors.emptyPopulation'), fields: [] };
    const from = errors.find((e) => e.path === 'body.from');
    const kept = from && /keeps readings from (\S+) only/.exec(from.message);
    if (kept?.[1]) return { text: t('analytics.errors.beyondRetention', { date: formatDateTime(kept[1], locale) }), fields: [] };
    if (from) return { text: t('analytics.errors.period', { detail: from.message }), fields: [] };
  }
  if (p.code === 'RPM_ERR_DEADLINE_EXCEEDED') return { text: t('analytics.errors.tooLong'), fields: [] };
  if (p.code === 'RPM_ERR_STORAGE_UNAVAILABLE') return { text: t('analytics.errors.unavailable'), fields: [] };
  return { text: problemText(t, err), fields: [] };
}
