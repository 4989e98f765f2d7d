/**
 * Problems of the batch as a whole, above the table: broken lines (with line and column), unknown or
 * repeated columns, unpaired folder entries, notices such as a file read as GB18030. A blocking one keeps
 * the batch from starting; the others are said once, before paying.
 */
import { useTranslation } from "react-i18next";
import type { BatchProblem } from "../bindings";
import { messageText } from "../i18n";

export function BatchProblems({ problems }: { problems: BatchProblem[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <section
      className="batch-level-problems"
      aria-label={t("batch.problems.label")}
      data-testid="batch-problems"
    >
      <ul className="small">
        {problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
          <li key={i} className={p.blocking ? "problem blocking" : "problem warning"} data-kind={p.kind}>
            {messageText(t, p.msg)}
          </li>
        ))}
      </ul>
    </section>
  );
}
