/** The API token: where it comes from, the hosts it may be sent to, and the form to test and replace it. */
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { TokenForm } from "../components/TokenForm";
import { useSession } from "../session";

export function TokenSection({ onRemove }: { onRemove: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const token = session?.token;
  return (
    <>
      <h2>{t("settings.token")}</h2>
      {session?.demo && <p className="muted small">{t("settings.tokenInDemo")}</p>}
      {token?.keychain_error && <ErrorNotice error={token.keychain_error} />}
      {token?.from_environment && <p className="muted small">{t("settings.tokenFromEnv")}</p>}
      {token?.set && token.bound_hosts.length > 0 && (
        <p className="muted small" data-testid="token-hosts">
          {t("settings.tokenHosts", { hosts: token.bound_hosts.join(", ") })}
        </p>
      )}
      <p data-testid="token-status">
        {token?.set ? t("settings.tokenSet", { last4: token.last4 }) : t("settings.tokenNotSet")}
        {token?.set && token.source === "keychain" && (
          <button type="button" className="link" data-testid="token-remove" onClick={onRemove}>
            {t("settings.tokenRemove")}
          </button>
        )}
      </p>
      {/* Under the section's own "API token" heading the field is the token to use from now on. */}
      <TokenForm label={t(token?.set ? "settings.replaceToken" : "settings.newToken")} />
    </>
  );
}
