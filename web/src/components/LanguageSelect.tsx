/** The language switch, the same in the header and on the sign-in page (each language named in itself). */
import type { TFunction } from 'i18next';
import { LANGUAGE_NAMES, LANGUAGES, isLanguage, type Language } from '../i18n/index.js';

export function LanguageSelect({ t, language, onLanguage }: { t: TFunction; language: Language; onLanguage: (language: Language) => void }) {
  return (
    <label class="lang">
      <span>{t('nav.language')}</span>
      <select
        value={language}
        data-testid="language"
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (isLanguage(v)) onLanguage(v);
        }}
      >
        {LANGUAGES.map((l) => (
          <option value={l} lang={l} key={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
