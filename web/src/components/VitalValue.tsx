/** A reading's value as clinicians write it: "142/88 mmHg", "94 %", "37,8 °C" (in the user's locale). */
import type { LatestVital } from '../api/types.js';
import { formatNumber } from '../lib/format.js';
import { viewOf } from '../lib/vitals.js';

export function vitalText(vital: Pick<LatestVital, 'kind' | 'components'>, locale: string): string {
  const view = viewOf(vital.kind);
  const values = view.components
    .map((name) => vital.components.find((c) => c.name === name)?.value)
    .filter((v): v is number => v !== undefined)
    .map((v) => formatNumber(v, locale, view.decimals));
  if (values.length === 0) return '—';
  return `${values.join('/')} ${view.unit}`;
}
