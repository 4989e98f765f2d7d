/**
 * Under the Spend limits heading: optional limits per batch, per day and per month, in tokens, each with
 * its money at the rates above. Empty is no limit. A batch above its limit is refused; a job or batch that
 * would pass the day's or month's asks first (the backend decides both).
 */
import { useTranslation } from "react-i18next";
import type { Prefs } from "../appearance";
import { PREFERENCE_LIMITS, type SpendLimits } from "../bindings";
import { formatMoney } from "../generate/format";
import type { SetPref } from "./usePreferencesForm";

const FIELDS = ["per_batch", "per_day", "per_month"] as const;
const U32_MAX = 4_294_967_295;

export function SpendSection({ draft, set }: { draft: Prefs; set: SetPref }) {
  const { t } = useTranslation();
  const limits: SpendLimits = draft.spend_limits ?? {};
  const rates = draft.cost_rates;
  const currency = rates.currency ?? "";
  const range = PREFERENCE_LIMITS.spend_limit_tokens;
  const change = (field: (typeof FIELDS)[number], text: string) => {
    const trimmed = text.trim();
    const n = Number(trimmed);
    // A whole number the backend can read; one outside the range is refused on Save with the range.
    const tokens = Number.isFinite(n) ? Math.min(Math.max(Math.round(n), 0), U32_MAX) : 0;
    set("spend_limits", { ...limits, [field]: trimmed === "" ? null : tokens });
  };
  return (
    <>
      <h2>{t("settings.spend.title")}</h2>
      <p className="muted small">{t("settings.spend.help")}</p>
      {FIELDS.map((field) => {
        const value = limits[field];
        const money =
          value != null && Number.isFinite(value) && value > 0
            ? t("settings.spend.money", {
                withAudio: formatMoney((value / 1e6) * (rates.per_million_with_audio ?? 0), currency),
                withoutAudio: formatMoney((value / 1e6) * (rates.per_million_without_audio ?? 0), currency),
              })
            : t("settings.spend.none");
        return (
          <label className="field" key={field}>
            {t(`settings.spend.${field}`)}
            <input
              type="number"
              inputMode="numeric"
              data-testid={`spend-limit-${field}`}
              min={range.min}
              max={range.max}
              step={1}
              placeholder={t("settings.spend.placeholder")}
              value={value ?? ""}
              onChange={(e) => change(field, e.target.value)}
            />
            <span className="muted small" data-testid={`spend-limit-${field}-money`}>
              {money}
            </span>
          </label>
        );
      })}
    </>
  );
}
