/**
 * Try a rule change against the past before saving it (issue #14): edit the common thresholds in a
 * form or the whole document as JSON, replay a period (default the last 30 days) with POST
 * /backtest, see current and candidate side by side, cancel a long run (the request is aborted and
 * the hub stops on hang-up), then save the candidate for a patient through PUT
 * /patients/{id}/alert-rules. Rules are stored per patient only: the API has no route for a
 * team's or a condition group's rules, so a team back-test is saved patient by patient.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, pathWith, request } from '../../api/client.js';
import type { AlertRules } from '../../api/types.js';
import { problemText } from '../../components/ProblemMessage.js';
import { useApp } from '../../context.js';
import { periodOf, type Backtest, type PeriodChoice } from '../../lib/analytics.js';
import { parseConfig, type Config } from '../../lib/threshold-form.js';
import { backtestProblem, type BacktestProblem } from './backtest-problem.js';
import { BacktestResult } from './BacktestResult.js';
import { ThresholdForm, type Seed } from './ThresholdForm.js';

export type Population = { readonly patientId: string } | { readonly careTeamId: string; readonly conditionGroup?: string };

const TICKS = [240, 60, 15] as const;

type RunState = { readonly kind: 'idle' } | { readonly kind: 'running' } | { readonly kind: 'cancelled' } | { readonly kind: 'failed'; readonly problem: BacktestProblem } | { readonly kind: 'done'; readonly result: Backtest; readonly text: string };

export interface BacktestPanelProps {
  readonly population: Population;
  readonly initialConfig: Config;
  readonly seed?: Seed;
  /** Whom the candidate may be saved for: the patient, or the population's patients. */
  readonly saveTargets: readonly { readonly id: string; readonly name: string }[];
  readonly onSaved?: (patientId: string) => void;
  readonly onClose?: () => void;
}

export function BacktestPanel({ population, initialConfig, seed, saveTargets, onSaved, onClose }: BacktestPanelProps) {
  const { t, locale } = useApp();
  const [text, setText] = useState(() => JSON.stringify(initialConfig, null, 2));
  const [period, setPeriod] = useState<PeriodChoice>('30');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [tick, setTick] = useState<number>(240);
  const [run, setRun] = useState<RunState>({ kind: 'idle' });
  const [target, setTarget] = useState(saveTargets[0]?.id ?? '');
  const [saveMessage, setSaveMessage] = useState('');
  const [saveError, setSaveError] = useState<unknown>();
  const controller = useRef<AbortController | undefined>();
  const isTeam = !('patientId' in population);

  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => {
    if (!saveTargets.some((p) => p.id === target)) setTarget(saveTargets[0]?.id ?? '');
  }, [saveTargets]);

  const parsed = parseConfig(text);

  const start = async (event: Event) => {
    event.preventDefault();
    if (!parsed.ok) return;
    const range = periodOf(period, Date.now(), from, to);
    if (!range) {
      setRun({ kind: 'failed', problem: { text: t('analytics.errors.customPeriod'), fields: [] } });
      return;
    }
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setRun({ kind: 'running' });
    setSaveMessage('');
    const sentText = text;
    try {
      const result = await request<Backtest>('POST', '/api/v1/backtest', { body: { population, config: parsed.config, ...range, tickMinutes: tick }, signal: c.signal });
      if (controller.current === c) setRun({ kind: 'done', result, text: sentText });
    } catch (err) {
      if (controller.current !== c) return;
      if ((err as Error).name === 'AbortError') setRun({ kind: 'cancelled' });
      else setRun({ kind: 'failed', problem: backtestProblem(t, locale, err) });
    } finally {
      if (controller.current === c) controller.current = undefined;
    }
  };

  const cancel = () => controller.current?.abort();

  const save = async () => {
    if (run.kind !== 'done' || !target) return;
    const checked = parseConfig(run.text);
    if (!checked.ok) return;
    setSaveError(undefined);
    setSaveMessage('');
    try {
      await api.put<AlertRules>(pathWith('/api/v1/patients/{patientId}/alert-rules', { patientId: target }), checked.config);
      setSaveMessage(t('analytics.saved', { patient: saveTargets.find((p) => p.id === target)?.name ?? target }));
      onSaved?.(target);
    } catch (err) {
      setSaveError(err);
    }
  };

  const running = run.kind === 'running';
  const upToDate = run.kind === 'done' && run.text === text;
  return (
    <section class="backtest" aria-labelledby="backtest-title" data-testid="backtest">
      <h2 id="backtest-title">{t('analytics.backtest')}</h2>
      <p class="sub">{isTeam ? t('analytics.backtestTeamIntro') : t('analytics.backtestPatientIntro')}</p>
      <form onSubmit={(e) => void start(e)}>
        <ThresholdForm config={parsed.ok ? parsed.config : {}} seed={seed} disabled={!parsed.ok || running} onChange={(c) => setText(JSON.stringify(c, null, 2))} />
        <details class="advanced">
          <summary>{t('analytics.advanced')}</summary>
          <label for="backtest-json">{t('analytics.json')}</label>
          <textarea id="backtest-json" rows={12} spellcheck={false} value={text} data-testid="backtest-json" aria-describedby="backtest-json-help" onInput={(e) => setText(e.currentTarget.value)} />
          <p id="backtest-json-help" class="help">
            {t('patient.rulesHelp')}
          </p>
        </details>
        {!parsed.ok && (
          <p class="problem" role="alert">
            {t('patient.invalidJson', { detail: parsed.reason })}
          </p>
        )}
        <fieldset class="ranges">
          <legend>{t('analytics.period')}</legend>
          <label>
            <span>{t('analytics.period')}</span>
            <select value={period} data-testid="bt-period" onChange={(e) => setPeriod(e.currentTarget.value as PeriodChoice)}>
              <option value="30">{t('analytics.last30')}</option>
              <option value="90">{t('analytics.last90')}</option>
              <option value="custom">{t('analytics.custom')}</option>
            </select>
          </label>
          {period === 'custom' && (
            <span class="custom">
              <label>
                <span>{t('patient.from')}</span>
                <input type="date" value={from} data-testid="bt-from" onInput={(e) => setFrom(e.currentTarget.value)} />
              </label>
              <label>
                <span>{t('patient.to')}</span>
                <input type="date" value={to} data-testid="bt-to" onInput={(e) => setTo(e.currentTarget.value)} />
              </label>
            </span>
          )}
          <label>
            <span>{t('analytics.tick')}</span>
            <select value={String(tick)} data-testid="bt-tick" onChange={(e) => setTick(Number(e.currentTarget.value))}>
              {TICKS.map((m) => (
                <option key={m} value={String(m)}>
                  {t('alerts.minutes', { count: m })}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <p class="sub">{t('analytics.maxPeriod')}</p>
        <div class="actions">
          <button type="submit" disabled={!parsed.ok || running} data-testid="bt-run">
            {t('analytics.run')}
          </button>
          {running && (
            <button type="button" class="secondary" onClick={cancel} data-testid="bt-cancel">
              {t('alerts.cancel')}
            </button>
          )}
          {onClose && !running && (
            <button type="button" class="secondary" onClick={onClose}>
              {t('alerts.close')}
            </button>
          )}
        </div>
      </form>
      <div role="status" data-testid="bt-status">
        {running && t('analytics.running')}
        {run.kind === 'cancelled' && t('analytics.cancelled')}
      </div>
      {run.kind === 'failed' && (
        <div class="problem" role="alert" data-testid="bt-error">
          <p>{run.problem.text}</p>
          {run.problem.fields.length > 0 && (
            <ul>
              {run.problem.fields.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {run.kind === 'done' && <BacktestResult result={run.result} />}
      <section aria-labelledby="bt-save-title" class="save">
        <h3 id="bt-save-title">{t('analytics.saveTitle')}</h3>
        {isTeam && <p class="notice">{t('analytics.noGroupRoute')}</p>}
        {saveTargets.length === 0 ? (
          <p>{t('analytics.noPatients')}</p>
        ) : (
          <div class="toolbar">
            {saveTargets.length > 1 ? (
              <label>
                <span>{t('analytics.saveFor')}</span>
                <select value={target} data-testid="bt-save-target" onChange={(e) => setTarget(e.currentTarget.value)}>
                  {saveTargets.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <button type="button" disabled={!upToDate} onClick={() => void save()} data-testid="bt-save" aria-describedby="bt-save-help">
              {t('analytics.save', { patient: saveTargets.find((p) => p.id === target)?.name ?? '' })}
            </button>
          </div>
        )}
        <p id="bt-save-help" class="help">
          {upToDate ? t('analytics.saveReplaces') : t('analytics.runFirst')}
        </p>
        {saveMessage && <p role="status">{saveMessage}</p>}
        {saveError !== undefined && (
          <div class="problem" role="alert">
            <p>{problemText(t, saveError)}</p>
          </div>
        )}
      </section>
    </section>
  );
}
