/** An API error as a sentence in the user's language: never a blank page, never raw JSON. */
import type { TFunction } from 'i18next';
import { ApiProblem } from '../api/client.js';

export function problemText(t: TFunction, err: unknown): string {
  if (!(err instanceof ApiProblem)) return t('error.generic', { status: '?' });
  const { status, detail } = err.problem;
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.unauthenticated');
  if (status === 403) return t('error.forbidden');
  if (status === 404) return t('error.notFound');
  if (status === 409) return t('error.conflict');
  if (status === 429) return t('error.rateLimited');
  if (status === 400 || status === 422) {
    const fields = err.problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    return t('error.validation', { detail: fields || detail || '' });
  }
  if (status >= 500) return t('error.unavailable');
  return t('error.generic', { status });
}

export function ProblemMessage({ t, error, onRetry }: { t: TFunction; error: unknown; onRetry?: () => void }) {
  return (
    <div class="problem" role="alert">
      <p>{problemText(t, error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('error.retry')}
        </button>
      )}
    </div>
  );
}
