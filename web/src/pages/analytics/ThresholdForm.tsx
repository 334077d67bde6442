/**
 * The common thresholds as a form over the candidate JSON (systolic high and low, SpO2 low, weight
 * gain): a change is committed when the field is left, and rewrites the document the JSON editor
 * shows, so both always say the same thing.
 */
import { useState } from 'preact/hooks';
import { useApp } from '../../context.js';
import { COMMON_THRESHOLDS, bandsOf, firstBand, weightGainOf, withFirstBand, withWeightGain, type Band, type Config, type Side } from '../../lib/threshold-form.js';

const SEVERITIES = ['low', 'medium', 'high', 'urgent'] as const;

export type Seed = (key: string, side: Side) => readonly Band[];

const numberOf = (s: string): number | undefined => {
  const n = Number(s.trim().replace(',', '.'));
  return s.trim() === '' || !Number.isFinite(n) ? undefined : n;
};

export function ThresholdForm({ config, seed, onChange, disabled }: { config: Config; seed?: Seed; onChange: (c: Config) => void; disabled: boolean }) {
  const { t, locale } = useApp();
  const weight = weightGainOf(config);
  const [refused, setRefused] = useState<{ field: string; text: string } | undefined>();
  const shown = (n: number | undefined) => (n === undefined ? '' : String(n).replace('.', locale.startsWith('en') ? '.' : ','));
  return (
    <fieldset class="threshold-form" disabled={disabled}>
      <legend>{t('analytics.form')}</legend>
      {COMMON_THRESHOLDS.map((field) => {
        const band = firstBand(bandsOf(config, field.key, field.side, seed?.(field.key, field.side)), field.side);
        const commit = (limit: number | undefined, severity: string) => {
          if (limit === undefined) return;
          const moved = withFirstBand(config, field, limit, severity, seed?.(field.key, field.side));
          if (moved.ok) {
            setRefused(undefined);
            onChange(moved.config);
          } else {
            setRefused({ field: field.id, text: t('analytics.pastNextBand', { band: `${moved.next.op} ${shown(moved.next.limit)} ${t(`severity.${moved.next.severity}`)}` }) });
          }
        };
        const severity = band?.severity ?? 'medium';
        return (
          <div class="threshold-row" key={field.id} data-field={field.id}>
            <label>
              <span>
                {t(`analytics.field.${field.id}`)} ({band?.op ?? field.op} {field.unit})
              </span>
              <input
                type="text"
                inputMode="decimal"
                size={6}
                value={shown(band?.limit)}
                data-testid={`field-${field.id}`}
                aria-invalid={refused?.field === field.id}
                aria-describedby={refused?.field === field.id ? `refused-${field.id}` : undefined}
                onChange={(e) => commit(numberOf(e.currentTarget.value), severity)}
              />
            </label>
            <label>
              <span>{t('analytics.severityOf', { field: t(`analytics.field.${field.id}`) })}</span>
              <select value={severity} onChange={(e) => commit(band?.limit, e.currentTarget.value)}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`severity.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            {refused?.field === field.id && (
              <p class="field-error" id={`refused-${field.id}`} role="alert">
                {refused.text}
              </p>
            )}
          </div>
        );
      })}
      <div class="threshold-row" data-field="weightGain">
        <label>
          <span>{t('analytics.field.weightGainKg')}</span>
          <input type="text" inputMode="decimal" size={6} value={shown(weight.gainKg)} placeholder={t('analytics.default')} data-testid="field-weightGainKg" onChange={(e) => onChange(withWeightGain(config, numberOf(e.currentTarget.value), weight.windowHours))} />
        </label>
        <label>
          <span>{t('analytics.field.weightGainHours')}</span>
          <input type="text" inputMode="numeric" size={6} value={shown(weight.windowHours)} placeholder={t('analytics.default')} onChange={(e) => onChange(withWeightGain(config, weight.gainKg, numberOf(e.currentTarget.value)))} />
        </label>
      </div>
      <p class="help">{t('analytics.formHelp')}</p>
    </fieldset>
  );
}
