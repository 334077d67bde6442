/** Entry point: the language first (so the first paint is already in it), then the shell. */
import { render } from 'preact';
import { Root } from './app.js';
import { parseRoute } from './lib/router.js';
import { KioskPage } from './pages/kiosk/KioskPage.js';
import { initI18n, preferredLanguage, storedLanguage } from './i18n/index.js';
import './styles.css';

const language = storedLanguage() ?? preferredLanguage(navigator.languages ?? [navigator.language]);
document.documentElement.lang = language;
void initI18n(language).then(() => {
  const root = document.getElementById('root');
  // A room's kiosk is no signed-in application: no session lookup, no live stream, its own page.
  const route = parseRoute(location.pathname);
  if (root) render(route.page === 'kiosk' ? <KioskPage link={route.token} /> : <Root />, root);
});
