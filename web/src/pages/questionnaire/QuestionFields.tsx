/**
 * The questions of one questionnaire version as form fields, in the reader's language: yes/no and
 * choices as radio groups (a fieldset with the question as legend: screen readers and the keyboard
 * handle them natively; arrow keys move within a group), whole numbers as a numeric field with
 * its range, text as a text area. Used by the resident's answer page (large) and staff entry.
 */
import type { TFunction } from 'i18next';
import type { QuestionnaireDefinition } from '../../api/types.js';
import type { Language } from '../../i18n/index.js';

export type Question = QuestionnaireDefinition['questions'][number];
export type Draft = Readonly<Record<string, string>>;

/** The answers as the API takes them; blank fields are left out (the hub names missing required ones). */
export type DraftAnswer = { linkId: string; value: boolean | string | number };

export function answersOf(questions: readonly Question[], draft: Draft): DraftAnswer[] {
  return questions.flatMap((q): DraftAnswer[] => {
    const raw = draft[q.linkId]?.trim() ?? '';
    if (raw === '') return [];
    if (q.type === 'boolean') return [{ linkId: q.linkId, value: raw === 'true' }];
    if (q.type === 'integer') return [{ linkId: q.linkId, value: Number(raw) }];
    return [{ linkId: q.linkId, value: raw }];
  });
}

export function unanswered(questions: readonly Question[], draft: Draft): Question[] {
  return questions.filter((q) => q.required && (draft[q.linkId]?.trim() ?? '') === '');
}

interface Props {
  readonly t: TFunction;
  readonly language: Language;
  readonly questions: readonly Question[];
  readonly draft: Draft;
  readonly onChange: (linkId: string, value: string) => void;
  /** Prefix for element ids, so two forms on one page do not clash. */
  readonly idPrefix: string;
}

export function QuestionFields({ t, language, questions, draft, onChange, idPrefix }: Props) {
  return (
    <ol class="questions">
      {questions.map((q, i) => {
        const id = `${idPrefix}-${q.linkId}`;
        const label = (
          <>
            <span class="qnum">{i + 1}.</span> {q.text[language]}
            {!q.required && <span class="sub"> ({t('questionnaire.optional')})</span>}
          </>
        );
        const value = draft[q.linkId] ?? '';
        if (q.type === 'boolean' || q.type === 'choice') {
          const options = q.type === 'boolean' ? [{ code: 'true', text: t('questionnaire.yes') }, { code: 'false', text: t('questionnaire.no') }] : (q.options ?? []).map((o) => ({ code: o.code, text: o.display[language] }));
          return (
            <li key={q.linkId}>
              <fieldset class="question" data-link-id={q.linkId}>
                <legend>{label}</legend>
                <div class="choices">
                  {options.map((o) => (
                    <label class={`choice${value === o.code ? ' picked' : ''}`} key={o.code}>
                      <input type="radio" name={id} value={o.code} checked={value === o.code} required={q.required} onChange={() => onChange(q.linkId, o.code)} />
                      <span>{o.text}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            </li>
          );
        }
        return (
          <li key={q.linkId}>
            <div class="question" data-link-id={q.linkId}>
              <label for={id} class="qlabel">
                {label}
                {q.type === 'integer' && <span class="sub"> ({t('questionnaire.range', { min: q.min, max: q.max })})</span>}
              </label>
              {q.type === 'integer' ? (
                <input id={id} type="number" inputMode="numeric" min={q.min} max={q.max} step={1} required={q.required} value={value} onInput={(e) => onChange(q.linkId, e.currentTarget.value)} />
              ) : (
                <textarea id={id} rows={3} maxLength={q.maxLength ?? 500} value={value} onInput={(e) => onChange(q.linkId, e.currentTarget.value)} />
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
