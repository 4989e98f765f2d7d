import { useTranslation } from "react-i18next";
import type { PollTrouble } from "../bindings";
import { messageText } from "../i18n";

/** When the next check is, as a clock time in the UI's language. */
export function nextCheckTime(trouble: PollTrouble, lng: string): string | null {
  if (trouble.next_try_at == null) return null;
  return new Date(trouble.next_try_at).toLocaleTimeString(lng, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** Why the job's task is not being answered right now and when the app asks again; the raw cause behind Details. */
export function PollTroubleNote({ trouble }: { trouble: PollTrouble }) {
  const { t, i18n } = useTranslation();
  const next = nextCheckTime(trouble, i18n.language);
  return (
    <div className="poll-trouble small" role="status" data-testid="poll-trouble" data-kind={trouble.kind}>
      <p>
        {messageText(t, trouble.message)}
        {next && (
          <>
            {" "}
            <span data-testid="poll-trouble-next">{t("jobs.troubleNextCheck", { time: next })}</span>
          </>
        )}
      </p>
      {trouble.details && (
        <details>
          <summary>{t("jobs.troubleDetails")}</summary>
          <code>{trouble.details}</code>
        </details>
      )}
    </div>
  );
}

/** One line for the queue panel: what is wrong and the next check. */
export function PollTroubleLine({ trouble }: { trouble: PollTrouble }) {
  const { t, i18n } = useTranslation();
  const what = i18n.exists(`jobs.trouble.${trouble.kind}`)
    ? t(`jobs.trouble.${trouble.kind}`)
    : messageText(t, trouble.message);
  const next = nextCheckTime(trouble, i18n.language);
  return (
    <span className="queue-trouble" data-testid="queue-trouble" data-kind={trouble.kind}>
      {next ? t("jobs.troubleShortNext", { what, time: next }) : what}
    </span>
  );
}
