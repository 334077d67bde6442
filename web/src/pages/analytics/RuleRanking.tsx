/**
 * Rules by alerts per patient-week and PPV, the one that pages most for least action first and
 * marked with a word and a sign (never colour alone).
 */
import { useApp } from '../../context.js';
import { formatPercent, formatRate, rankRules, type RuleFigures } from '../../lib/analytics.js';
import { RuleName } from './rule-label.js';

export function RuleRanking({ groups }: { groups: readonly RuleFigures[] }) {
  const { t, locale } = useApp();
  const rows = rankRules(groups);
  const none = t('common.none');
  return (
    <section aria-labelledby="ranking-title">
      <h2 id="ranking-title">{t('analytics.ranking')}</h2>
      <p class="sub">{t('analytics.rankingHelp')}</p>
      {rows.length === 0 ? (
        <p>{t('analytics.noAlerts')}</p>
      ) : (
        <table class="ranking" data-testid="rule-ranking">
          <thead>
            <tr>
              <th scope="col">{t('analytics.rule')}</th>
              <th scope="col">{t('analytics.alerts')}</th>
              <th scope="col">{t('analytics.perPatientWeek')}</th>
              <th scope="col">{t('analytics.ppv')}</th>
              <th scope="col">{t('analytics.outcomesRecorded')}</th>
              <th scope="col">{t('analytics.withoutAction')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.rule} data-rule={r.rule} class={r.worst ? 'worst' : undefined}>
                <th scope="row">
                  <RuleName t={t} rule={r.rule} />
                  {r.worst && (
                    <strong class="worst-mark" data-testid="worst-rule">
                      {' '}
                      ▲ {t('analytics.worst')}
                    </strong>
                  )}
                </th>
                <td>{r.alerts}</td>
                <td>{r.perPatientWeek === undefined ? none : formatRate(r.perPatientWeek, locale)}</td>
                <td data-testid="rule-ppv">{r.ppv === undefined ? none : formatPercent(r.ppv, locale)}</td>
                <td>{r.recorded}</td>
                <td>{r.withoutActionPerPatientWeek === undefined ? none : formatRate(r.withoutActionPerPatientWeek, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
