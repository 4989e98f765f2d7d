import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { I18nextProvider } from "react-i18next";
import { initI18n, type Language } from "./i18n";

export function renderWithI18n(ui: ReactElement, lng: Language = "en") {
  const i18n = initI18n(lng);
  return { i18n, ...render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>) };
}
