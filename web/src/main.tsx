/** Entry point: the language first (so the first paint is already in it), then the shell. */
import { render } from 'preact';
import { Root } from './app.js';
import { initI18n, preferredLanguage, storedLanguage } from './i18n/index.js';
import { startLoads } from './lib/start-loads.js';
import './styles.css';

// First, so the requests run while the catalogues and the shell are set up.
startLoads(location.pathname, location.hash.startsWith('#signin='));
const language = storedLanguage() ?? preferredLanguage(navigator.languages ?? [navigator.language]);
document.documentElement.lang = language;
void initI18n(language).then(() => {
  const root = document.getElementById('root');
  if (root) render(<Root />, root);
});
