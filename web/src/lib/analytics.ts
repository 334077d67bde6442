/**
 * Pure logic of the analytics page (issue #14): the period asked for, the rule ranking that makes
 * the rule paging most for least action stand out, and numbers, shares and durations in the
 * user's locale. No I/O; the page and its tests share these.
 */
import type { ResponseOf } from '../api/types.js';

export type Analytics = ResponseOf<'/api/v1/analytics/alerts', 'get'>;
export type Figures = Analytics['overall'];
export type RuleFigures = Analytics['groups'][number];
export type Backtest = ResponseOf<'/api/v1/backtest', 'post'>;

const DAY_MS = 86_400_000;

export type PeriodChoice = '30' | '90' | 'custom';

/**
 * [from, to) as ISO instants. Custom dates are whole local days (`to` inclusive, so the period
 * ends at the following midnight); undefined when a custom period is incomplete or backwards.
 */
export function periodOf(choice: PeriodChoice, now: number, customFrom = '', customTo = ''): { from: string; to: string } | undefined {
  if (choice !== 'custom') return { from: new Date(now - Number(choice) * DAY_MS).toISOString(), to: new Date(now).toISOString() };
  const from = localMidnight(customFrom);
  const toStart = localMidnight(customTo);
  if (from === undefined || toStart === undefined) return undefined;
  const to = new Date(toStart);
  to.setDate(to.getDate() + 1);
  if (from >= to.getTime()) return undefined;
  return { from: new Date(from).toISOString(), to: to.toISOString() };
}

function localMidnight(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

export interface RankedRule {
  readonly rule: string;
  readonly alerts: number;
  readonly perPatientWeek: number | undefined;
  readonly ppv: number | undefined;
  readonly recorded: number;
  /** Alerts per patient-week that led to no action (per PPV): what the ranking sorts by. */
  readonly withoutActionPerPatientWeek: number | undefined;
  /** The one rule that pages most for least action (marked by a word, not colour alone). */
  readonly worst: boolean;
}

/**
 * Rules by alerts per patient-week not followed by action (alerts per patient-week × (1 − PPV)),
 * then by alerts per patient-week. A rule without any recorded outcome has no PPV: it sorts by its
 * rate among the others but is never marked worst, because nothing says its alerts were useless.
 */
export function rankRules(groups: readonly RuleFigures[]): RankedRule[] {
  const rows = groups.map((g) => {
    const perPatientWeek = g.alertsPerPatientWeek;
    const withoutAction = perPatientWeek !== undefined && g.ppv !== undefined ? perPatientWeek * (1 - g.ppv) : undefined;
    return { rule: g.key, alerts: g.alerts, perPatientWeek, ppv: g.ppv, recorded: g.outcomes.recorded, withoutActionPerPatientWeek: withoutAction, worst: false };
  });
  // Rounded so that equal figures computed two ways (0.2333 × 0.5, 0.1167 × 1) tie.
  const key = (r: RankedRule) => (r.withoutActionPerPatientWeek === undefined ? -1 : Math.round(r.withoutActionPerPatientWeek * 1e9));
  rows.sort((a, b) => key(b) - key(a) || (b.perPatientWeek ?? 0) - (a.perPatientWeek ?? 0) || a.rule.localeCompare(b.rule));
  const first = rows[0];
  if (first && (first.withoutActionPerPatientWeek ?? 0) > 0) rows[0] = { ...first, worst: true };
  return rows;
}

/** `threshold:blood_pressure.systolic#x` → its kind and the vital/component it is about. */
export function ruleParts(rule: string): { kind: string; subject: string } {
  const base = rule.split('#')[0] ?? rule;
  const i = base.indexOf(':');
  return i < 0 ? { kind: base, subject: '' } : { kind: base.slice(0, i), subject: base.slice(i + 1) };
}

const formats = new Map<string, Intl.NumberFormat>();
function fmt(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formats.set(key, f);
  }
  return f;
}

/** 0.5 → "50 %" (da), "50%" (en): a share with at most one decimal. */
export function formatPercent(share: number, locale: string): string {
  return fmt(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** A rate such as alerts per patient-week: two decimals at most. */
export function formatRate(value: number, locale: string): string {
  return fmt(locale, { maximumFractionDigits: 2 }).format(value);
}

/**
 * A time to acknowledge as people say it: seconds under a minute, minutes under an hour, hours
 * under two days, else days (one decimal at most), unit names in the locale's short form.
 */
export function formatDuration(seconds: number, locale: string): string {
  const [value, unit] =
    seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [seconds / 60, 'minute'] : seconds < 2 * 86_400 ? [seconds / 3600, 'hour'] : [seconds / 86_400, 'day'];
  return fmt(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

export interface ComparedRule {
  readonly rule: string;
  readonly current: number;
  readonly candidate: number;
}

/** Every rule either configuration raised, most candidate alerts first. */
export function comparedRules(result: Backtest): ComparedRule[] {
  const rules = new Set([...Object.keys(result.current.byRule), ...Object.keys(result.candidate.byRule)]);
  return [...rules]
    .map((rule) => ({ rule, current: result.current.byRule[rule] ?? 0, candidate: result.candidate.byRule[rule] ?? 0 }))
    .sort((a, b) => b.candidate - a.candidate || b.current - a.current || a.rule.localeCompare(b.rule));
}

/** Past actioned alerts the candidate would miss that the current configuration catches (the regressions). */
export function newlyMissed(result: Backtest): Backtest['candidate']['missedActioned'] {
  const before = new Set(result.current.missedActioned.map((m) => m.alertId));
  return result.candidate.missedActioned.filter((m) => !before.has(m.alertId));
}
