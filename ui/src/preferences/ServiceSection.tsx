/** The video service: upload region, API address and the user's prices for the cost estimate. */
import { useTranslation } from "react-i18next";
import type { Prefs } from "../appearance";
import type { SetPref } from "./usePreferencesForm";

interface Props {
  draft: Prefs;
  /** The address in use when none is set, shown as the field's placeholder. */
  apiBase: string | undefined;
  set: SetPref;
}

export function ServiceSection({ draft, apiBase, set }: Props) {
  const { t } = useTranslation();
  const rates = draft.cost_rates;
  return (
    <>
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
          placeholder={apiBase}
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
            value={rates.per_million_with_audio ?? 0}
            onChange={(e) => set("cost_rates", { ...rates, per_million_with_audio: Number(e.target.value) })}
          />
        </label>
        <label>
          {t("settings.rateWithoutAudio")}
          <input
            type="number"
            min={0}
            step={0.1}
            value={rates.per_million_without_audio ?? 0}
            onChange={(e) =>
              set("cost_rates", { ...rates, per_million_without_audio: Number(e.target.value) })
            }
          />
        </label>
        <label>
          {t("settings.currency")}
          <input
            type="text"
            maxLength={8}
            value={rates.currency}
            onChange={(e) => set("cost_rates", { ...rates, currency: e.target.value })}
          />
        </label>
      </fieldset>
    </>
  );
}
