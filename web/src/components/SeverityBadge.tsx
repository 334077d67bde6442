/** Severity as a word and a shape, not by colour alone (WCAG 1.4.1). */
import type { TFunction } from 'i18next';
import type { Severity } from '../api/types.js';

const MARK: Readonly<Record<Severity, string>> = { urgent: '▲▲', high: '▲', medium: '◆', low: '●', info: '○' };

export function SeverityBadge({ t, severity }: { t: TFunction; severity: Severity | null | undefined }) {
  if (!severity) return <span class="badge badge-none">{t('severity.none')}</span>;
  return (
    <span class={`badge badge-${severity}`}>
      <span aria-hidden="true">{MARK[severity]} </span>
      {t(`severity.${severity}`)}
    </span>
  );
}
