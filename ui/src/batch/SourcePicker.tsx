/**
 * Where a batch's items come from: images picked at once, a folder (with its pairing rule shown and
 * editable), a CSV or JSONL file, or the Generate form × N takes. Every file is read by the backend; this
 * only asks for it.
 */
import { useTranslation } from "react-i18next";
import type { PairRule } from "../bindings";

export const DEFAULT_RULE: PairRule = { kind: "suffix", first: "_first", last: "_last" };

interface Props {
  rule: PairRule;
  onRuleChange: (rule: PairRule) => void;
  /** The form's takes when it becomes a batch. */
  formTakes: number;
  onFormTakesChange: (takes: number) => void;
  /** The Generate form was handed over (its button is offered). */
  hasForm: boolean;
  busy: boolean;
  onImages: () => void;
  onFolder: () => void;
  onFile: () => void;
  onForm: () => void;
}

export function SourcePicker(p: Props) {
  const { t } = useTranslation();
  const { rule } = p;
  return (
    <section className="batch-sources" aria-label={t("batch.sources.label")}>
      <div className="batch-source-buttons">
        <button type="button" data-testid="batch-add-images" disabled={p.busy} onClick={p.onImages}>
          {t("batch.sources.images")}
        </button>
        <button type="button" data-testid="batch-folder" disabled={p.busy} onClick={p.onFolder}>
          {t("batch.sources.folder")}
        </button>
        <button type="button" data-testid="batch-file" disabled={p.busy} onClick={p.onFile}>
          {t("batch.sources.file")}
        </button>
        <span className="batch-form-source">
          <button
            type="button"
            data-testid="batch-from-form"
            disabled={p.busy || !p.hasForm}
            title={p.hasForm ? undefined : t("batch.sources.formHint")}
            onClick={p.onForm}
          >
            {t("batch.sources.form")}
          </button>
          <label className="small">
            {t("batch.sources.formTakes")}{" "}
            <input
              type="number"
              min={1}
              max={50}
              value={p.formTakes}
              data-testid="batch-form-takes"
              onChange={(e) => p.onFormTakesChange(Math.max(1, Number(e.target.value) || 1))}
            />
          </label>
        </span>
      </div>
      <p className="small muted">{t("batch.sources.dropHint")}</p>
      <fieldset className="batch-rule" data-testid="batch-rule">
        <legend>{t("batch.rule.label")}</legend>
        <label>
          <input
            type="radio"
            name="batch-rule"
            checked={rule.kind === "suffix"}
            onChange={() => p.onRuleChange(DEFAULT_RULE)}
          />{" "}
          {t("batch.rule.suffix")}
        </label>
        {rule.kind === "suffix" && (
          <span className="batch-rule-suffixes">
            <code>{"{name}"}</code>
            <input
              aria-label={t("batch.rule.first")}
              data-testid="batch-rule-first"
              value={rule.first}
              onChange={(e) => p.onRuleChange({ ...rule, first: e.target.value })}
            />
            <span className="small">{t("batch.rule.and")}</span>
            <code>{"{name}"}</code>
            <input
              aria-label={t("batch.rule.last")}
              data-testid="batch-rule-last"
              value={rule.last}
              onChange={(e) => p.onRuleChange({ ...rule, last: e.target.value })}
            />
          </span>
        )}
        <label>
          <input
            type="radio"
            name="batch-rule"
            data-testid="batch-rule-sorted"
            checked={rule.kind === "sorted_pairs"}
            onChange={() => p.onRuleChange({ kind: "sorted_pairs" })}
          />{" "}
          {t("batch.rule.sorted")}
        </label>
        <label>
          <input
            type="radio"
            name="batch-rule"
            data-testid="batch-rule-alone"
            checked={rule.kind === "each_alone"}
            onChange={() => p.onRuleChange({ kind: "each_alone" })}
          />{" "}
          {t("batch.rule.alone")}
        </label>
      </fieldset>
    </section>
  );
}
