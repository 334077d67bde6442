/**
 * i18next with the three catalogues bundled (they are small; no loading round trip on a ward PC).
 * The language is the user's stored choice, else the browser's preference, else English; the
 * choice is kept per user in localStorage (a preference, not patient data).
 */
import i18next, { type TFunction } from 'i18next';
import { da } from './da.js';
import { en } from './en.js';
import { sv } from './sv.js';

export const LANGUAGES = ['da', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { da: 'Dansk', sv: 'Svenska', en: 'English' };
/** BCP 47 tags for Intl: dates, numbers and sorting as people there write them. */
export const LOCALES: Readonly<Record<Language, string>> = { da: 'da-DK', sv: 'sv-SE', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages we have (nb/nn → Danish is closer than English). */
export function preferredLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
    if (base === 'nb' || base === 'nn' || base === 'no') return 'da';
  }
  return 'en';
}

const storageKey = (userId: string | undefined) => `rpm.language${userId ? `.${userId}` : ''}`;

export function storedLanguage(userId?: string): Language | undefined {
  try {
    const v = localStorage.getItem(storageKey(userId));
    return isLanguage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function storeLanguage(language: Language, userId?: string): void {
  try {
    localStorage.setItem(storageKey(userId), language);
    localStorage.setItem(storageKey(undefined), language);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

export async function initI18n(language: Language): Promise<TFunction> {
  return i18next.init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, da: { translation: da }, sv: { translation: sv } },
    // Preact escapes text; escaping twice would show &amp; to the nurse.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export async function changeLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export { i18next };
