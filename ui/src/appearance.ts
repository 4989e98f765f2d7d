import type { i18n as I18n } from "i18next";
import type { Preferences } from "./bindings";
import { isLanguage, type Language, systemLanguage } from "./i18n";

/**
 * Preferences as the backend sends them: every field present. (The generated type marks them optional
 * because the backend also accepts older, partial files.)
 */
export type Prefs = Required<Preferences>;

/** Applies the language and theme from the preferences to the running UI. */
export function applyAppearance(prefs: Pick<Preferences, "language" | "theme">, i18n: I18n) {
  // "system", or a tag this build does not ship, follows the system.
  const lng: Language = prefs.language && isLanguage(prefs.language) ? prefs.language : systemLanguage();
  if (i18n.language !== lng) i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
  if (!prefs.theme || prefs.theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = prefs.theme;
}
