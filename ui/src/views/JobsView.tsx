import { useTranslation } from "react-i18next";

export function JobsView() {
  const { t } = useTranslation();
  return (
    <section data-testid="jobs-screen" aria-labelledby="jobs-title" className="page">
      <h1 id="jobs-title">{t("jobs.title")}</h1>
      <p className="muted">{t("jobs.empty")}</p>
    </section>
  );
}
