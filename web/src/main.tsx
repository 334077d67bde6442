/** Entry point: the language first (so the first paint is already in it), then the shell. */
import { render } from 'preact';
import { Root } from './app.js';
import { initI18n, isLanguage, preferredLanguage, storedLanguage } from './i18n/index.js';
import { answerLinkToken } from './lib/router.js';
import { startLoads } from './lib/start-loads.js';
import { AnswerPage } from './pages/AnswerPage.js';
import './styles.css';

// A resident's answer link needs no session: its own page, in the language the kiosk asks for (?lang=).
const answerToken = answerLinkToken(location.pathname);
// First, so the requests run while the catalogues and the shell are set up (not for an answer link: no session there).
if (!answerToken) startLoads(location.pathname, location.hash.startsWith('#signin='));
const asked = new URLSearchParams(location.search).get('lang');
const language = (answerToken && isLanguage(asked) ? asked : undefined) ?? storedLanguage() ?? preferredLanguage(navigator.languages ?? [navigator.language]);
document.documentElement.lang = language;
void initI18n(language).then(() => {
  const root = document.getElementById('root');
  if (root) render(answerToken ? <AnswerPage token={answerToken} /> : <Root />, root);
});
