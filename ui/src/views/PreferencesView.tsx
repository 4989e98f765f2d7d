import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { applyAppearance, type Prefs } from "../appearance";
import { type AppInfo, commands, type PrefsView } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { TokenForm } from "../components/TokenForm";
import { LANGUAGES, messageText } from "../i18n";
import { type IpcError, unwrap } from "../ipc";
import { useSession } from "../session";

/**
 * The screen users know as "Settings": the API token and the preferences. In code, "settings" are a
 * request's generation settings; what this screen edits are preferences.
 */
export function PreferencesView() {
  const { t, i18n } = useTranslation();
  const { session, update } = useSession();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [view, setView] = useState<PrefsView | null>(null);
  const [draft, setDraft] = useState<Prefs | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    unwrap(commands.appInfo()).then(setInfo, setError);
    unwrap(commands.getPreferences()).then((v) => {
      setView(v);
      setDraft(v.prefs as Prefs);
    }, setError);
  }, []);

  const set = <K extends keyof Prefs>(k: K, v: Prefs[K]) => {
    setSaved(false);
    setDraft((d) => (d ? { ...d, [k]: v } : d));
  };

  const save = async () => {
    if (!draft) return;
    setError(null);
    try {
      const v = await unwrap(commands.savePreferences(draft));
      setView(v);
      setDraft(v.prefs as Prefs);
      setSaved(true);
      applyAppearance(v.prefs, i18n);
    } catch (e) {
      setError(e as IpcError);
    }
  };

  // The backend opens the folder picker and saves the choice itself: the page never names a folder.
  const chooseFolder = async () => {
    setError(null);
    try {
      const v = await unwrap(commands.chooseOutputFolder());
      if (!v) return;
      setView(v);
      setDraft((d) => (d ? { ...d, output_dir: v.prefs.output_dir ?? null } : d));
    } catch (e) {
      setError(e as IpcError);
    }
  };

  const removeToken = () => update(unwrap(commands.removeToken())).catch(setError);
  const token = session?.token;

  return (
    <section data-testid="settings-screen" aria-labelledby="settings-title" className="page settings">
      <h1 id="settings-title">{t("settings.title")}</h1>
      {view?.warning && (
        <div role="alert" className="warning-notice" data-testid="prefs-warning">
          {messageText(t, view.warning)}
        </div>
      )}

      <h2>{t("settings.token")}</h2>
      {session?.demo && <p className="muted small">{t("settings.tokenInDemo")}</p>}
      {token?.keychain_error && <ErrorNotice error={token.keychain_error} />}
      {token?.from_environment && <p className="muted small">{t("settings.tokenFromEnv")}</p>}
      {token?.set && token.bound_hosts.length > 0 && (
        <p className="muted small" data-testid="token-hosts">
          {t("settings.tokenHosts", { hosts: token.bound_hosts.join(", ") })}
        </p>
      )}
      <p data-testid="token-status">
        {token?.set ? t("settings.tokenSet", { last4: token.last4 }) : t("settings.tokenNotSet")}
        {token?.set && token.source === "keychain" && (
          <button type="button" className="link" data-testid="token-remove" onClick={removeToken}>
            {t("settings.tokenRemove")}
          </button>
        )}
      </p>
      <TokenForm />

      {draft && (
        <>
          <h2>{t("settings.output")}</h2>
          <div className="field">
            <span>{t("settings.outputDir")}</span>
            <div className="row">
              <code data-testid="output-dir">{draft.output_dir ?? view?.output_dir}</code>
              <button type="button" data-testid="output-dir-choose" onClick={chooseFolder}>
                {t("settings.choose")}
              </button>
              {draft.output_dir && (
                <button type="button" onClick={() => set("output_dir", null)}>
                  {t("settings.useDefault")}
                </button>
              )}
            </div>
          </div>
          <label className="field">
            {t("settings.fileNamePattern")}
            <input
              type="text"
              data-testid="file-name-pattern"
              value={draft.file_name_pattern}
              onChange={(e) => set("file_name_pattern", e.target.value)}
            />
            <span className="muted small">{t("settings.fileNameHelp")}</span>
          </label>

          <h2>{t("settings.service")}</h2>
          <label className="field">
            {t("settings.uploadRegion")}
            <select
              value={draft.upload_region}
              onChange={(e) => set("upload_region", e.target.value as Prefs["upload_region"])}
            >
              <option value="global">{t("settings.regionGlobal")}</option>
              <option value="china">{t("settings.regionChina")}</option>
            </select>
          </label>
          <label className="field">
            {t("settings.apiBase")}
            <input
              type="text"
              data-testid="api-base"
              placeholder={info?.api_base}
              value={draft.api_base ?? ""}
              onChange={(e) => set("api_base", e.target.value === "" ? null : e.target.value)}
            />
            <span className="muted small">{t("settings.apiBaseHelp")}</span>
          </label>
          <fieldset className="field-row">
            <legend>{t("settings.rates")}</legend>
            <label>
              {t("settings.rateWithAudio")}
              <input
                type="number"
                min={0}
                step={0.1}
                value={draft.cost_rates.per_million_with_audio ?? 0}
                onChange={(e) =>
                  set("cost_rates", { ...draft.cost_rates, per_million_with_audio: Number(e.target.value) })
                }
              />
            </label>
            <label>
              {t("settings.rateWithoutAudio")}
              <input
                type="number"
                min={0}
                step={0.1}
                value={draft.cost_rates.per_million_without_audio ?? 0}
                onChange={(e) =>
                  set("cost_rates", {
                    ...draft.cost_rates,
                    per_million_without_audio: Number(e.target.value),
                  })
                }
              />
            </label>
            <label>
              {t("settings.currency")}
              <input
                type="text"
                maxLength={8}
                value={draft.cost_rates.currency}
                onChange={(e) => set("cost_rates", { ...draft.cost_rates, currency: e.target.value })}
              />
            </label>
          </fieldset>

          <h2>{t("settings.appearance")}</h2>
          <label className="field">
            {t("settings.language")}
            <select
              data-testid="language"
              value={draft.language}
              onChange={(e) => set("language", e.target.value)}
            >
              <option value="system">{t("settings.languages.system")}</option>
              {LANGUAGES.map((tag) => (
                <option key={tag} value={tag}>
                  {t(`settings.languages.${tag}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            {t("settings.theme")}
            <select value={draft.theme} onChange={(e) => set("theme", e.target.value as Prefs["theme"])}>
              <option value="system">{t("settings.themes.system")}</option>
              <option value="light">{t("settings.themes.light")}</option>
              <option value="dark">{t("settings.themes.dark")}</option>
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.notifications}
              onChange={(e) => set("notifications", e.target.checked)}
            />
            {t("settings.notifications")}
          </label>
          <label className="field">
            {t("settings.maxJobs")}
            <input
              type="number"
              data-testid="max-jobs"
              min={1}
              max={8}
              step={1}
              value={draft.max_concurrent_jobs}
              onChange={(e) => set("max_concurrent_jobs", Number(e.target.value))}
            />
            <span className="muted small">{t("settings.maxJobsHelp")}</span>
          </label>
          <label className="field">
            {t("settings.holdUnsent")}
            <input
              type="number"
              data-testid="hold-unsent-hours"
              min={0}
              max={168}
              step={1}
              value={draft.hold_unsent_after_hours}
              onChange={(e) => set("hold_unsent_after_hours", Number(e.target.value))}
            />
            <span className="muted small">{t("settings.holdUnsentHelp")}</span>
          </label>
          <div className="submit-row">
            {saved && (
              <span role="status" className="ok">
                {t("settings.saved")}
              </span>
            )}
            <button type="button" className="primary" data-testid="settings-save" onClick={save}>
              {t("settings.save")}
            </button>
          </div>
        </>
      )}
      {error && <ErrorNotice error={error} />}

      <h2>{t("settings.about")}</h2>
      {info && (
        <dl className="facts">
          <dt>{t("settings.version")}</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>{t("settings.dataDir")}</dt>
          <dd>{info.data_dir}</dd>
          <dt>{t("settings.apiBase")}</dt>
          <dd>{info.api_base}</dd>
          <dt>{t("settings.uploadBase")}</dt>
          <dd>{info.upload_base}</dd>
        </dl>
      )}
    </section>
  );
}
