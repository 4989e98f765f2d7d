import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import type { Arg, Message } from "../bindings";
import en from "./en.json";
import zhCN from "./zh-CN.json";

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Whether a tag (e.g. the preferences' language) names a shipped language exactly. */
export function isLanguage(tag: string): tag is Language {
  return (LANGUAGES as readonly string[]).includes(tag);
}

/** Picks the shipped language closest to what the OS/webview prefers. */
export function systemLanguage(preferred: readonly string[] = navigator.languages ?? []): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

export function initI18n(lng: Language = systemLanguage()) {
  const instance = i18next.createInstance();
  instance.use(initReactI18next).init({
    lng,
    fallbackLng: "en",
    resources: { en: { translation: en }, "zh-CN": { translation: zhCN } },
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}

/** What renders a catalog key: `useTranslation().t`, or `i18n.getFixedT(lng)` for a given language. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * A backend message (a catalog key and its arguments) in the UI's language: nested messages first, a list one
 * per line, then the key's template, with i18next's own rules (so `count` picks the plural form). The backend
 * renders its notifications from these same catalogs.
 */
export function messageText(t: Translate, message: Message): string {
  const values: Record<string, string | number> = {};
  for (const [name, arg] of Object.entries(message.args)) {
    if (arg !== undefined) values[name] = argText(t, arg);
  }
  return t(message.key, values);
}

function argText(t: Translate, arg: Arg): string | number {
  if (arg === null) return "";
  if (typeof arg === "string" || typeof arg === "number") return arg;
  if (Array.isArray(arg)) return arg.map((m) => messageText(t, m)).join("\n");
  return messageText(t, arg);
}

/** The message of an IPC error in the UI's language. */
export function errorText(t: Translate, err: { message: Message }): string {
  return messageText(t, err.message);
}
