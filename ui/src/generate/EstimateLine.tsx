import { useTranslation } from "react-i18next";
import type { Estimate } from "../bindings";
import { estimateParts } from "./format";

/** "1280×720 · 108 900 tokens ≈ ¥0.26": output size, tokens and cost at the user's rate. */
export function EstimateLine({ estimate }: { estimate: Estimate | null }) {
  const { t } = useTranslation();
  if (!estimate) {
    return (
      <p className="estimate muted small" data-testid="estimate">
        {t("generate.estimateUnavailable")}
      </p>
    );
  }
  const { size, tokens, cost } = estimateParts(estimate);
  return (
    <p className="estimate small" data-testid="estimate">
      <span className="muted">{t("generate.estimate")}: </span>
      {estimate.approximate ? `≈ ${size}` : size}
      {" · "}
      {t("generate.estimateTokens", { tokens })}
      {cost && ` ≈ ${cost}`}
      {estimate.draft_lower && <span className="muted">{t("generate.estimateDraftLower")}</span>}
    </p>
  );
}
