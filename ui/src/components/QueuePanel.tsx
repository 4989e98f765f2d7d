import { useTranslation } from "react-i18next";

export function QueuePanel() {
  const { t } = useTranslation();
  return (
    <aside className="queue" aria-labelledby="queue-title" data-testid="queue">
      <h2 id="queue-title">{t("queue.title")}</h2>
      <p className="muted small">{t("queue.empty")}</p>
    </aside>
  );
}
