import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { messageText } from "../i18n";
import { AboutSection } from "../preferences/AboutSection";
import { AppearanceSection } from "../preferences/AppearanceSection";
import { OutputSection } from "../preferences/OutputSection";
import { ServiceSection } from "../preferences/ServiceSection";
import { SpendSection } from "../preferences/SpendSection";
import { TokenSection } from "../preferences/TokenSection";
import { UpdatesSection } from "../preferences/UpdatesSection";
import { usePreferencesForm } from "../preferences/usePreferencesForm";

/**
 * The screen users know as "Settings": the API token and the preferences. In code, "settings" are a
 * request's generation settings; what this screen edits are preferences. Each section is its own component
 * (`preferences/`); this one only puts them in order.
 */
export function PreferencesView() {
  const { t } = useTranslation();
  const form = usePreferencesForm();
  const { draft, view, info, set } = form;

  return (
    <section data-testid="settings-screen" aria-labelledby="settings-title" className="page settings">
      <h1 id="settings-title">{t("settings.title")}</h1>
      {view?.warning && (
        <div role="alert" className="warning-notice" data-testid="prefs-warning">
          {messageText(t, view.warning)}
        </div>
      )}

      <TokenSection onRemove={form.removeToken} />

      {draft && (
        <>
          <OutputSection draft={draft} defaultDir={view?.output_dir} set={set} onChoose={form.chooseFolder} />
          <ServiceSection draft={draft} apiBase={info?.api_base} set={set} />
          <SpendSection draft={draft} set={set} />
          <AppearanceSection draft={draft} set={set} />
          <UpdatesSection draft={draft} set={set} />
          <div className="submit-row">
            {form.saved && (
              <span role="status" className="ok">
                {t("settings.saved")}
              </span>
            )}
            <button type="button" className="primary" data-testid="settings-save" onClick={form.save}>
              {t("settings.save")}
            </button>
          </div>
        </>
      )}
      {form.error && <ErrorNotice error={form.error} />}

      <AboutSection info={info} />
    </section>
  );
}
