import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en as core } from './en.ts';
import { PARTS } from './parts/index.ts';
import { zhCN as coreZh } from './zh-cn.ts';

export type Lang = 'en' | 'zh-CN';
export const LANGS: { id: Lang; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];
/** Every key the editor shows: the core dictionary and each feature's part. */
export type MessageKey = keyof typeof core | PartKey;
type PartKey = { [P in keyof typeof PARTS]: keyof (typeof PARTS)[P]['en'] }[keyof typeof PARTS];
const parts = Object.values(PARTS as Record<string, { en: object; 'zh-CN': object }>);
const en: Record<MessageKey, string> = Object.assign({}, core, ...parts.map((p) => p.en));
const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = {
  en,
  'zh-CN': Object.assign({}, coreZh, ...parts.map((p) => p['zh-CN'])),
};
const STORAGE_KEY = 'tend.lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const Context = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Fills `{name}` placeholders. */
export function format(template: string, vars?: Record<string, string | number>): string {
  return vars
    ? template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m))
    : template;
}

/** The language of the page (English or Simplified Chinese), remembered in this browser. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const t = useCallback<Translate>(
    (key, vars) => format(DICTIONARIES[lang][key] ?? en[key] ?? key, vars),
    [lang],
  );
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export const useT = (): Translate => useI18n().t;

/** Formats a moment in the viewer's language, in their browser's time zone. */
export function useDateTime(): (value: string | number | Date) => string {
  const { lang } = useI18n();
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
    return (value) => f.format(new Date(value));
  }, [lang]);
}
