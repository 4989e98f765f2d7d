import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { App } from "./App";
import { initI18n } from "./i18n";
import "./styles/app.css";
import "./styles/settings.css";
import "./styles/jobs.css";
import "./styles/presets.css";
import "./styles/batch.css";
import "./styles/sequences.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={initI18n()}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  );
}
