/** Entry point: the language first (so the first paint is already in it), then the shell. */
import { render } from 'preact';
import { Root } from './app.js';
import { initI18n, isLanguage, preferredLanguage, storedLanguage } from './i18n/index.js';
import { answerLinkToken, parseRoute } from './lib/router.js';
import { startLoads } from './lib/start-loads.js';
import { AnswerPage } from './pages/AnswerPage.js';
import { KioskPage } from './pages/kiosk/KioskPage.js';
import './styles.css';

// A resident's answer link needs no session: its own page, in the language the kiosk asks for (?lang=).
const answerToken = answerLinkToken(location.pathname);
// First, so the requests run while the catalogues and the shell are set up (not for an answer link: no session there).
const opened = parseRoute(location.pathname);
const kiosk = opened.page === 'kiosk' ? opened : undefined;
if (!answerToken && !kiosk) startLoads(location.pathname, location.hash.startsWith('#signin='));
const asked = new URLSearchParams(location.search).get('lang');
const language = (answerToken && isLanguage(asked) ? asked : undefined) ?? storedLanguage() ?? preferredLanguage(navigator.languages ?? [navigator.language]);
document.documentElement.lang = language;
void initI18n(language).then(() => {
  const root = document.getElementById('root');
  if (!root) return;
  // A resident's answer link and a room's kiosk are no signed-in application: no session lookup, no live stream, their own page.
  if (answerToken) render(<AnswerPage token={answerToken} />, root);
  else if (kiosk) render(<KioskPage link={kiosk.token} />, root);
  else render(<Root />, root);
});
