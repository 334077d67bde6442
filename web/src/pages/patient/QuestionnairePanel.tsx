/**
 * Questionnaires on the patient page: the answers of the last 30 days (who entered them, scores,
 * the rules they met), staff entry of a resident's answers, and a single-use answer link for the
 * kiosk or the resident's own tablet (the token is shown once; the hub keeps only its hash).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, pathWith } from '../../api/client.js';
import type { AnswerLink, QuestionnaireDefinition, QuestionnaireList, QuestionnaireResponse, QuestionnaireResponses } from '../../api/types.js';
import { ProblemMessage } from '../../components/ProblemMessage.js';
import { useApp } from '../../context.js';
import { formatDateTime } from '../../lib/format.js';
import { answersOf, QuestionFields, type Draft } from '../questionnaire/QuestionFields.js';

const LINK_MINUTES = 60;

function answerText(def: QuestionnaireDefinition | undefined, a: QuestionnaireResponse['answers'][number], language: 'da' | 'sv' | 'en', yes: string, no: string): string {
  const q = def?.questions.find((x) => x.linkId === a.linkId);
  const value = typeof a.value === 'boolean' ? (a.value ? yes : no) : (q?.options?.find((o) => o.code === a.value)?.display[language] ?? String(a.value));
  return `${q?.text[language] ?? a.linkId} ${value}`;
}

export function QuestionnairePanel({ patientId }: { patientId: string }) {
  const { t, language, locale } = useApp();
  const [definitions, setDefinitions] = useState<QuestionnaireDefinition[]>([]);
  const [responses, setResponses] = useState<QuestionnaireResponse[] | undefined>();
  const [chosen, setChosen] = useState('');
  const [draft, setDraft] = useState<Draft>({});
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState('');
  const [link, setLink] = useState<AnswerLink | undefined>();

  const load = () => {
    api.get<QuestionnaireList>('/api/v1/questionnaires').then((l) => setDefinitions(l.questionnaires), setError);
    api.get<QuestionnaireResponses>(pathWith('/api/v1/patients/{patientId}/questionnaire-responses', { patientId })).then((r) => setResponses(r.responses), setError);
  };
  useEffect(load, [patientId]);

  // The newest version of each questionnaire is what one enters or sends.
  const newest = [...new Map(definitions.map((d) => [d.id, d])).values()].filter((d) => definitions.every((o) => o.id !== d.id || o.version <= d.version));
  const current = newest.find((d) => d.id === chosen);
  const defOf = (r: QuestionnaireResponse) => definitions.find((d) => d.id === r.questionnaire && d.version === r.version);

  const save = async () => {
    if (!current) return;
    setError(undefined);
    setSaved('');
    try {
      await api.post(pathWith('/api/v1/patients/{patientId}/questionnaire-responses', { patientId }), { questionnaire: current.id, version: current.version, answers: answersOf(current.questions, draft) });
      setSaved(t('questionnaire.saved'));
      setDraft({});
      load();
    } catch (err) {
      setError(err);
    }
  };

  const makeLink = async () => {
    if (!current) return;
    setError(undefined);
    try {
      setLink(await api.post<AnswerLink>(pathWith('/api/v1/patients/{patientId}/questionnaire-links', { patientId }), { questionnaire: current.id, version: current.version, minutes: LINK_MINUTES }));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="questionnaires-title" class="questionnaires" data-testid="questionnaires">
      <h2 id="questionnaires-title">{t('questionnaire.title')}</h2>
      <p class="intro">{t('questionnaire.intro')}</p>
      {responses && responses.length === 0 && <p>{t('questionnaire.none')}</p>}
      {responses && responses.length > 0 && (
        <table data-testid="questionnaire-responses">
          <thead>
            <tr>
              <th scope="col">{t('questionnaire.when')}</th>
              <th scope="col">{t('questionnaire.which')}</th>
              <th scope="col">{t('questionnaire.who')}</th>
              <th scope="col">{t('questionnaire.scores')}</th>
              <th scope="col">{t('questionnaire.rules')}</th>
              <th scope="col">{t('questionnaire.answers')}</th>
            </tr>
          </thead>
          <tbody>
            {responses.map((r) => {
              const def = defOf(r);
              return (
                <tr key={r.id}>
                  <td>{formatDateTime(r.answeredAt, locale)}</td>
                  <td>{def ? `${def.title[language]} (v${r.version})` : `${r.questionnaire} v${r.version}`}</td>
                  <td>{r.channel === 'resident' ? t('questionnaire.resident') : t('questionnaire.staff', { user: r.enteredBy ?? '', role: t(`role.${r.enteredRole ?? ''}`, { defaultValue: r.enteredRole ?? '' }) })}</td>
                  <td>{Object.entries(r.scores).map(([id, v]) => `${def?.scores.find((s) => s.id === id)?.title[language] ?? id}: ${v}`).join('; ')}</td>
                  <td>{r.matchedRules.length === 0 ? t('questionnaire.noRules') : r.matchedRules.map((m) => m.summary).join('; ')}</td>
                  <td>
                    <ul class="answers">
                      {r.answers.map((a) => (
                        <li key={a.linkId}>{answerText(def, a, language, t('questionnaire.yes'), t('questionnaire.no'))}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h3>{t('questionnaire.enterTitle')}</h3>
      <label>
        <span>{t('questionnaire.choose')}</span>
        <select
          data-testid="questionnaire-choose"
          value={chosen}
          onChange={(e) => {
            setChosen(e.currentTarget.value);
            setDraft({});
            setLink(undefined);
          }}
        >
          <option value="">{t('questionnaire.chooseNone')}</option>
          {newest.map((d) => (
            <option value={d.id} key={d.id}>
              {d.title[language]}
            </option>
          ))}
        </select>
      </label>
      {current && (
        <>
          <form
            data-testid="questionnaire-entry"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <QuestionFields t={t} language={language} questions={current.questions} draft={draft} idPrefix="staff" onChange={(linkId, value) => setDraft((d) => ({ ...d, [linkId]: value }))} />
            <button type="submit">{t('questionnaire.save')}</button>
          </form>
          <h3>{t('questionnaire.linkTitle')}</h3>
          <p class="help">{t('questionnaire.linkIntro', { minutes: LINK_MINUTES })}</p>
          <button type="button" class="secondary" data-testid="make-answer-link" onClick={() => void makeLink()}>
            {t('questionnaire.makeLink')}
          </button>
          {link && (
            <p role="status" class="link-out">
              {t('questionnaire.linkReady', { until: formatDateTime(link.expiresAt, locale) })} <a href={link.path} data-testid="answer-link" target="_blank" rel="noopener">{`${location.origin}${link.path}`}</a>
            </p>
          )}
        </>
      )}
      {saved && <p role="status">{saved}</p>}
      {error !== undefined && <ProblemMessage t={t} error={error} />}
    </section>
  );
}
