import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TokenCheckView } from "../bindings";
import { messageText } from "../i18n";
import { ipc } from "../ipc";
import { useMutation } from "../query";
import { useSession } from "../session";
import { CauseDetails, ErrorNotice } from "./ErrorNotice";

/**
 * Paste, test and save the API token. The typed text goes to the backend once and the field is cleared;
 * the token never comes back to the webview (only its last 4 characters).
 */
export function TokenForm({ label }: { label?: string }) {
  const { t } = useTranslation();
  const { update } = useSession();
  const [value, setValue] = useState("");
  const [check, setCheck] = useState<TokenCheckView | null>(null);
  // Testing and saving share one busy flag and one error: one of them at a time.
  const { run, pending: busy, error } = useMutation((action: () => Promise<void>) => action());

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const typed = value;
      setValue("");
      setCheck(null);
      await update(ipc.saveToken(typed));
    });
  };

  const test = () =>
    void run(async () => {
      setCheck(await ipc.testToken(value.trim() === "" ? null : value));
    });

  return (
    <form className="token-form" onSubmit={save}>
      <label htmlFor="token-input">{label ?? t("token.label")}</label>
      <div className="row">
        <input
          id="token-input"
          data-testid="token-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={t("token.placeholder")}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="button" data-testid="token-test" disabled={busy} onClick={test}>
          {t("token.test")}
        </button>
        <button
          type="submit"
          className="primary"
          data-testid="token-save"
          disabled={busy || value.trim() === ""}
        >
          {t("token.save")}
        </button>
      </div>
      {check && (
        <p
          role="status"
          data-testid="token-check"
          data-outcome={check.outcome.outcome}
          className={check.outcome.outcome === "valid" ? "ok" : "warn"}
        >
          {messageText(t, check.message)}
        </p>
      )}
      {check?.outcome.outcome === "unexpected" && <CauseDetails cause={check.outcome.detail} />}
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
