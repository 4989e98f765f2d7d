import { useTranslation } from "react-i18next";

export const PROMPT_MAX_CHARS = 2000;

/** Characters as the API counts them: Unicode scalar values, so one CJK character counts once. */
export function countChars(text: string): number {
  return Array.from(text).length;
}

export function PromptBox({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const count = countChars(value);
  const over = count > PROMPT_MAX_CHARS;
  return (
    <div className="prompt">
      <label htmlFor="prompt-input">{t("generate.prompt")}</label>
      <textarea
        id="prompt-input"
        data-testid="prompt"
        value={value}
        rows={4}
        placeholder={t("generate.promptPlaceholder")}
        aria-describedby="prompt-counter prompt-tip"
        aria-invalid={over}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className="prompt-footer">
        <span id="prompt-tip" className="muted small">
          {t("generate.dialogueTip")}
        </span>
        <span id="prompt-counter" data-testid="prompt-counter" className={over ? "counter over" : "counter"}>
          {t("generate.promptCounter", { count, max: PROMPT_MAX_CHARS })}
        </span>
      </div>
    </div>
  );
}
