/**
 * i18next set-up. zh-CN is the default; the choice is kept in localStorage so a caseworker who
 * switched to English once is not switched back on every visit.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Language = 'zh-CN' | 'en';
const STORAGE_KEY = 'doudi.language';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  // React escapes everything it renders; escaping twice would show &lt; to people.
  interpolation: { escapeValue: false },
});

function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  document.title = i18n.t('app.title');
}
applyDocumentLanguage(i18n.language);
i18n.on('languageChanged', applyDocumentLanguage);

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may forbid storage; the switch still works for this visit.
  }
  void i18n.changeLanguage(language);
}

export default i18n;
