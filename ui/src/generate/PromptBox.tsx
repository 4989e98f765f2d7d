import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Problem, PromptStats } from "../bindings";
import { FieldProblems, fieldProblemsId } from "./FieldProblems";

export const PROMPT_MAX_CHARS = 2000;

/** Characters as the API counts them: Unicode scalar values, so one CJK character counts once. */
export function countChars(text: string): number {
  return Array.from(text).length;
}

interface Props {
  value: string;
  onChange: (v: string) => void;
  /** The backend's count and hints; until the first check answers, the counter counts locally. */
  stats?: PromptStats | null;
  problems?: Problem[];
}

/** An empty prompt is a problem only once the user has written in the box (or it came filled): before that it
 * is simply not written yet, and the Generate button already says why it waits. */
const UNTOUCHED_QUIET = "empty_prompt";

export function PromptBox({ value, onChange, stats, problems = [] }: Props) {
  const { t } = useTranslation();
  const [touched, setTouched] = useState(value !== "");
  const count = stats ? stats.chars : countChars(value);
  const over = stats ? stats.over_limit : count > PROMPT_MAX_CHARS;
  const shown = touched || value !== "" ? problems : problems.filter((p) => p.kind !== UNTOUCHED_QUIET);
  const flags = stats?.flags ?? [];
  const describedBy = ["prompt-counter", "prompt-tip"];
  if (stats?.over_word_advice) describedBy.push("prompt-word-advice");
  if (flags.length > 0) describedBy.push("prompt-flags");
  if (shown.length > 0) describedBy.push(fieldProblemsId("prompt"));
  return (
    <div className="prompt">
      <label htmlFor="prompt-input">{t("generate.prompt")}</label>
      <textarea
        id="prompt-input"
        data-testid="prompt"
        value={value}
        rows={4}
        placeholder={t("generate.promptPlaceholder")}
        aria-describedby={describedBy.join(" ")}
        aria-invalid={over}
        onChange={(e) => {
          setTouched(true);
          onChange(e.target.value);
        }}
      />
      <div className="prompt-footer">
        <span id="prompt-tip" className="muted small">
          {t("generate.dialogueTip")}
        </span>
        <span id="prompt-counter" data-testid="prompt-counter" className={over ? "counter over" : "counter"}>
          {t("generate.promptCounter", { count, max: PROMPT_MAX_CHARS })}
        </span>
      </div>
      {stats?.over_word_advice && (
        <p id="prompt-word-advice" className="hint small" data-testid="prompt-word-advice">
          {stats.mostly_cjk
            ? t("generate.charAdvice", { chars: stats.chars })
            : t("generate.wordAdvice", { words: stats.words })}
        </p>
      )}
      {flags.length > 0 && (
        <p id="prompt-flags" className="hint small" role="status" data-testid="prompt-flags">
          {t("generate.promptFlags", { flags: flags.join(" "), count: flags.length })}
        </p>
      )}
      <FieldProblems field="prompt" problems={shown} />
    </div>
  );
}
