/**
 * The resident's answer page, /app/q/<token>: no sign-in, only the token. Large type, one question
 * after another, yes/no and choices as big radio buttons, Danish, Swedish or English (`?lang=`, the
 * browser's language, or the switch). It shows the first name and the questions, nothing else: the
 * screen may be the community room's kiosk. After sending, the link is used up.
 */
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiProblem, pathWith } from '../api/client.js';
import type { AnswerLinkView } from '../api/types.js';
import { LanguageSelect } from '../components/LanguageSelect.js';
import { problemText } from '../components/ProblemMessage.js';
import { changeLanguage, i18next, type Language } from '../i18n/index.js';
import { answersOf, QuestionFields, unanswered, type Draft } from './questionnaire/QuestionFields.js';

type State = { kind: 'loading' } | { kind: 'ready'; view: AnswerLinkView } | { kind: 'sent' } | { kind: 'refused'; message: string };

function refusal(t: TFunction, err: unknown): string {
  if (err instanceof ApiProblem) {
    if (err.problem.code === 'RPM_ERR_LINK_USED') return t('questionnaire.used');
    if (err.problem.code === 'RPM_ERR_LINK_EXPIRED') return t('questionnaire.expired');
    if (err.status === 404 || err.status === 400) return t('questionnaire.unknown');
  }
  return problemText(t, err);
}

export function AnswerPage({ token }: { token: string }) {
  const [language, setLanguageState] = useState<Language>(i18next.language as Language);
  const t = useMemo<TFunction>(() => i18next.getFixedT(language), [language]);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [draft, setDraft] = useState<Draft>({});
  const [problem, setProblem] = useState('');
  const [sending, setSending] = useState(false);
  const path = pathWith('/api/v1/answer-links/{token}', { token });

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = state.kind === 'ready' ? state.view.questionnaire.title[language] : t('questionnaire.title');
  }, [language, state]);

  useEffect(() => {
    api.get<AnswerLinkView>(path).then(
      (view) => setState({ kind: 'ready', view }),
      (err: unknown) => setState({ kind: 'refused', message: refusal(t, err) }),
    );
  }, [token]);

  const setLanguage = async (next: Language) => {
    await changeLanguage(next);
    setLanguageState(next);
  };

  const send = async (view: AnswerLinkView) => {
    const missing = unanswered(view.questionnaire.questions, draft);
    if (missing.length > 0) {
      setProblem(t('questionnaire.missing', { questions: missing.map((q) => view.questionnaire.questions.indexOf(q) + 1).join(', ') }));
      document.querySelector<HTMLElement>(`[data-link-id="${missing[0]!.linkId}"] input, [data-link-id="${missing[0]!.linkId}"] textarea`)?.focus();
      return;
    }
    setProblem('');
    setSending(true);
    try {
      await api.post(path, { answers: answersOf(view.questionnaire.questions, draft), language });
      setState({ kind: 'sent' });
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 410) setState({ kind: 'refused', message: refusal(t, err) });
      else setProblem(problemText(t, err));
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="answer-page">
      <header class="answer-top">
        <LanguageSelect t={t} language={language} onLanguage={(l) => void setLanguage(l)} />
      </header>
      <main id="main">
        {state.kind === 'loading' && <p class="loading">{t('app.loading')}</p>}
        {state.kind === 'refused' && (
          <p role="alert" class="answer-message" data-testid="answer-refused">
            {state.message}
          </p>
        )}
        {state.kind === 'sent' && (
          <div role="status" class="answer-message" data-testid="answer-sent">
            <p>{t('questionnaire.sent')}</p>
            <p class="sub">{t('questionnaire.sentHint')}</p>
          </div>
        )}
        {state.kind === 'ready' && (
          <>
            <h1>{t('questionnaire.hello', { name: state.view.firstName })}</h1>
            <p class="answer-intro">{state.view.questionnaire.title[language]}. {t('questionnaire.answerIntro')}</p>
            <form
              noValidate
              data-testid="answer-form"
              onSubmit={(e) => {
                e.preventDefault();
                void send(state.view);
              }}
            >
              <QuestionFields t={t} language={language} questions={state.view.questionnaire.questions} draft={draft} idPrefix="q" onChange={(linkId, value) => setDraft((d) => ({ ...d, [linkId]: value }))} />
              {problem && (
                <p role="alert" class="problem">
                  {problem}
                </p>
              )}
              <button type="submit" class="send" disabled={sending}>
                {t('questionnaire.send')}
              </button>
            </form>
          </>
        )}
      </main>
    </div>
  );
}
