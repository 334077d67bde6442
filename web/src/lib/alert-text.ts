/**
 * An alert's summary in the reader's language, from the structured `message` (key + parameters)
 * the API derives from what the alert stores. Each key has its own sentence in the `summaries`
 * catalogue group; numbers, units and times are formatted for the locale here. An alert without a
 * message, or with a key this page does not know (a newer hub), falls back to the engine's English
 * `summary`. Pure apart from the formatters' caches.
 */
import type { TFunction } from 'i18next';
import type { Alert } from '../api/types.js';
import { formatDateTime, formatNumber } from './format.js';
import { clinicalUnit, viewOf } from './vitals.js';

type Params = Readonly<Record<string, string | number | boolean>>;

const OPS: Readonly<Record<string, string>> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };

function str(p: Params, name: string): string | undefined {
  const v = p[name];
  return typeof v === 'string' ? v : undefined;
}

function num(p: Params, name: string): number | undefined {
  const v = p[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Decimals as the vital is shown elsewhere on the page (SpO2 0, temperature 1). */
function decimalsOf(vital: string | undefined): number {
  return vital ? viewOf(vital as never).decimals : 1;
}

function measure(value: number | undefined, p: Params, locale: string): string {
  if (value === undefined) return '—';
  const unit = str(p, 'unit');
  const text = formatNumber(value, locale, decimalsOf(str(p, 'vital')));
  return unit ? `${text} ${clinicalUnit(unit)}` : text;
}

/** "Systolic", "SpO₂": the component's own name for multi-component vitals, else the vital's. */
function what(p: Params, t: TFunction): string {
  const vital = str(p, 'vital') ?? '';
  const component = str(p, 'component');
  const multi = viewOf(vital as never).components.length > 1;
  return component && multi ? t(`component.${component}`, { defaultValue: component }) : t(`vital.${vital}`, { defaultValue: vital });
}

function known(t: TFunction, key: string): boolean {
  return t(key, { defaultValue: '' }) !== '';
}

export function alertText(alert: Pick<Alert, 'summary' | 'message'>, t: TFunction, locale: string): string {
  const m = alert.message;
  if (!m || !known(t, `summaries.${m.key}`) && !known(t, `summaries.${m.key}_other`)) return alert.summary;
  const p = m.params;
  const n = (name: string, decimals = 0) => {
    const v = num(p, name);
    return v === undefined ? '—' : formatNumber(v, locale, decimals);
  };
  const time = (name: string) => {
    const v = str(p, name);
    return v ? formatDateTime(v, locale) : '—';
  };
  switch (m.key) {
    case 'threshold':
      return t('summaries.threshold', {
        what: what(p, t),
        value: measure(num(p, 'value'), p, locale),
        op: OPS[str(p, 'op') ?? ''] ?? str(p, 'op') ?? '',
        limit: measure(num(p, 'limit'), p, locale),
        readings: t('summaries.readings', { count: num(p, 'readings') ?? 1 }),
      });
    case 'thresholdBackfilled':
      return t('summaries.thresholdBackfilled', { what: what(p, t), value: measure(num(p, 'value'), p, locale), limit: measure(num(p, 'limit'), p, locale) });
    case 'news2': {
      const missing = (str(p, 'missing') ?? '').split(',').filter(Boolean);
      const risk = t(`summaries.risk.${str(p, 'risk') ?? ''}`, { defaultValue: str(p, 'risk') ?? '' });
      const base = t('summaries.news2', { total: n('total'), risk });
      return missing.length === 0 ? base : `${base} (${t('news2.missing', { params: missing.map((x) => t(`news2.param.${x}`, { defaultValue: x })).join(', ') })})`;
    }
    case 'missing': {
      const cause = str(p, 'cause');
      const base = t('summaries.missing', { vital: t(`vital.${str(p, 'vital') ?? ''}`, { defaultValue: str(p, 'vital') ?? '' }), count: num(p, 'missed') ?? 1 });
      return cause ? `${base} (${t(`alerts.cause.${cause}`, { defaultValue: cause })})` : base;
    }
    case 'gatewayOffline':
      return t('summaries.gatewayOffline', { gateway: str(p, 'gatewayId') ?? '', since: time('since') });
    case 'batteryLow':
      return t('summaries.batteryLow', { device: str(p, 'deviceId') ?? '', percent: n('batteryPercent') });
    case 'clockDrift':
      return t(str(p, 'direction') === 'ahead' ? 'summaries.clockAhead' : 'summaries.clockBehind', { device: str(p, 'deviceId') ?? '', seconds: formatNumber(Math.abs(num(p, 'clockOffsetS') ?? 0), locale, 0) });
    case 'weightGain':
      return t('summaries.weightGain', { gain: n('gainKg', 1), hours: n('hours'), from: n('fromKg', 1), to: n('toKg', 1) });
    case 'baseline':
      return t('summaries.baseline', { what: what(p, t), value: measure(num(p, 'value'), p, locale), median: measure(num(p, 'median'), p, locale) });
    case 'implausible':
      return t('summaries.implausible', { vital: t(`vital.${str(p, 'vital') ?? ''}`, { defaultValue: str(p, 'vital') ?? '' }), count: num(p, 'count') ?? 1 });
    default:
      return alert.summary;
  }
}
