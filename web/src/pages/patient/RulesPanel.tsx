/**
 * The patient's expected readings and alert rules; clinicians and admins edit the configuration
 * (validated by the hub: a refused change names the field and saves nothing). Carers read it.
 * "Back-test before saving" replays the last month with the edited document first (issue #14).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { AlertRules, EffectiveRules } from '../../api/types.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { mayActOnAlerts, useApp } from '../../context.js';
import { formatNumber } from '../../lib/format.js';
import { parseConfig, type Config } from '../../lib/threshold-form.js';
import { BacktestPanel } from '../analytics/BacktestPanel.js';
import type { Seed } from '../analytics/ThresholdForm.js';

interface Schedule {
  readonly type: 'daily' | 'interval';
  readonly kind: string;
  readonly by?: string;
  readonly everyHours?: number;
}

export function RulesPanel({ patientId, effective, onSaved }: { patientId: string; effective: EffectiveRules | undefined; onSaved: () => void }) {
  const { t, locale, role } = useApp();
  const [rules, setRules] = useState<AlertRules | undefined>();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [backtest, setBacktest] = useState<Config | undefined>();
  const { patientNames } = useApp();

  const load = () => api.get<AlertRules>(pathWith('/api/v1/patients/{patientId}/alert-rules', { patientId })).then(setRules, setError);
  useEffect(() => void load(), [patientId]);

  // The patient's effective bands: a form field the document does not set yet starts from them.
  const seed: Seed = (key, side) => effective?.thresholds.find((x) => x.key === key)?.[side] ?? [];

  const openBacktest = () => {
    const parsed = parseConfig(text);
    if (!parsed.ok) {
      setMessage(t('patient.invalidJson', { detail: parsed.reason }));
      return;
    }
    setMessage('');
    setBacktest(parsed.config);
  };

  const schedules = (Array.isArray(rules?.config.schedules) ? rules.config.schedules : []) as Schedule[];

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setMessage('');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      setMessage(t('patient.invalidJson', { detail: (err as Error).message }));
      return;
    }
    try {
      setRules(await api.put<AlertRules>(pathWith('/api/v1/patients/{patientId}/alert-rules', { patientId }), parsed));
      setEditing(false);
      setMessage(t('patient.saved'));
      onSaved();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">{t('patient.rules')}</h2>
      <h3>{t('patient.schedules')}</h3>
      {schedules.length === 0 ? (
        <p class="sub">{t('patient.noSchedules')}</p>
      ) : (
        <ul>
          {schedules.map((s, i) => (
            <li key={i}>
              {t(`vital.${s.kind}`, { defaultValue: s.kind })}: {s.type === 'daily' ? t('patient.dailyBy', { time: s.by ?? '' }) : t('patient.every', { hours: s.everyHours ?? '' })}
            </li>
          ))}
        </ul>
      )}
      {effective && (
        <>
          <h3>{t('patient.thresholds')}</h3>
          <ul class="thresholds">
            {effective.thresholds
              .filter((x) => !x.disabled && (x.high.length > 0 || x.low.length > 0))
              .map((x) => {
                const [kind, component] = x.key.split('.');
                const fmt = (n: number) => formatNumber(n, locale, Number.isInteger(n) ? 0 : 1);
                return (
                  <li key={x.key}>
                    {t(`component.${component}`, { defaultValue: component })} ({t(`vital.${kind}`, { defaultValue: kind })}):{' '}
                    {[...x.low.map((b) => `${b.op} ${fmt(b.limit)} ${t(`severity.${b.severity}`)}`), ...x.high.map((b) => `${b.op} ${fmt(b.limit)} ${t(`severity.${b.severity}`)}`)].join(' · ')}
                  </li>
                );
              })}
          </ul>
        </>
      )}
      {mayActOnAlerts(role) && !editing && rules && (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setText(JSON.stringify(rules.config, null, 2));
            setEditing(true);
          }}
        >
          {t('patient.edit')}
        </button>
      )}
      {editing && (
        <form onSubmit={(e) => void save(e)}>
          <label for="rules-json">{t('patient.rulesJson')}</label>
          <textarea id="rules-json" rows={14} spellcheck={false} value={text} aria-describedby="rules-help" onInput={(e) => setText(e.currentTarget.value)} />
          <p id="rules-help" class="help">
            {t('patient.rulesHelp')}
          </p>
          <button type="submit">{t('patient.save')}</button>{' '}
          <button type="button" class="secondary" onClick={openBacktest} data-testid="rules-backtest">
            {t('analytics.backtestBeforeSaving')}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setEditing(false)}>
            {t('alerts.cancel')}
          </button>
        </form>
      )}
      {backtest && (
        <BacktestPanel
          population={{ patientId }}
          initialConfig={backtest}
          seed={seed}
          saveTargets={[{ id: patientId, name: patientNames.get(patientId) ?? patientId }]}
          onClose={() => setBacktest(undefined)}
          onSaved={() => {
            setEditing(false);
            setBacktest(undefined);
            setMessage(t('patient.saved'));
            void load();
            onSaved();
          }}
        />
      )}
      {message && <p role="status">{message}</p>}
      {error !== undefined && <ProblemMessage t={t} error={error} />}
    </section>
  );
}
