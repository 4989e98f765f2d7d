import { useTranslation } from "react-i18next";
import type { Field, Problem } from "../bindings";
import { messageText } from "../i18n";

export function problemsFor(problems: Problem[] | undefined, field: Field): Problem[] {
  return (problems ?? []).filter((p) => p.field === field);
}

export function fieldProblemsId(field: Field): string {
  return `problems-${field}`;
}

/** The form check's messages for one control, shown right beside it. */
export function FieldProblems({ field, problems }: { field: Field; problems: Problem[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" id={fieldProblemsId(field)} data-testid={fieldProblemsId(field)}>
      {problems.map((p) => (
        <li key={p.kind} data-kind={p.kind}>
          {messageText(t, p.msg)}
        </li>
      ))}
    </ul>
  );
}
