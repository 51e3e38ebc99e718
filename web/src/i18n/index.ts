import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORED = 'vouchers.locale';

/** The language last chosen in this browser, else Chinese. A signed-in user's own choice wins. */
export function initialLocale(userLocale?: Locale): Locale {
  if (userLocale) return userLocale;
  const stored = localStorage.getItem(STORED);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

export function applyLocale(locale: Locale): Promise<unknown> {
  localStorage.setItem(STORED, locale);
  document.documentElement.lang = locale;
  return i18n.changeLanguage(locale);
}

export async function setupI18n(locale: Locale): Promise<void> {
  await i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: locale,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = locale;
}

export { i18n };
