import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { TokenForm } from "../components/TokenForm";
import { ipc } from "../ipc";
import { useMutation } from "../query";
import { useSession } from "../session";

/** First run: paste a token, or try the whole flow against the built-in simulated service. */
export function WelcomeView() {
  const { t } = useTranslation();
  const { update } = useSession();
  const demo = useMutation(() => update(ipc.enterDemo()));

  return (
    <section className="welcome" data-testid="welcome-screen" aria-labelledby="welcome-title">
      <img src="/icon.png" alt="" width={72} height={72} />
      <h1 id="welcome-title">{t("welcome.title")}</h1>
      <p className="muted">{t("welcome.intro")}</p>
      <div className="welcome-cards">
        <div className="card">
          <h2>{t("welcome.tokenTitle")}</h2>
          <p className="muted small">{t("welcome.tokenHelp")}</p>
          <button
            type="button"
            className="link"
            data-testid="token-help"
            // A browser that does not open needs no error: the help text above names the site.
            onClick={() => void ipc.openTokenHelp().catch(() => undefined)}
          >
            {t("welcome.whereToken")}
          </button>
          <TokenForm />
        </div>
        <div className="card">
          <h2>{t("welcome.demoTitle")}</h2>
          <p className="muted small">{t("welcome.demoHelp")}</p>
          <button
            type="button"
            className="primary"
            data-testid="try-demo"
            disabled={demo.pending}
            onClick={() => void demo.run()}
          >
            {t("welcome.tryDemo")}
          </button>
        </div>
      </div>
      {demo.error && <ErrorNotice error={demo.error} />}
    </section>
  );
}
