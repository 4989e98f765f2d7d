import { useTranslation } from "react-i18next";
import { ipc } from "../ipc";
import { UpdateHint } from "../preferences/UpdateHint";
import { useSession } from "../session";

export type View = "generate" | "batch" | "sequences" | "jobs" | "presets" | "settings";
const VIEWS: { id: View; icon: string }[] = [
  { id: "generate", icon: "✦" },
  { id: "batch", icon: "▦" },
  { id: "sequences", icon: "▥" },
  { id: "jobs", icon: "▤" },
  { id: "presets", icon: "☰" },
  { id: "settings", icon: "⚙" },
];

export function Sidebar({ current, onSelect }: { current: View; onSelect: (v: View) => void }) {
  const { t } = useTranslation();
  const { session, update } = useSession();
  return (
    <nav className="sidebar" aria-label={t("nav.label")}>
      <div className="brand">
        <img src="/icon.png" alt="" width={28} height={28} />
        <span>{t("app.name")}</span>
      </div>
      <ul>
        {VIEWS.map(({ id, icon }) => (
          <li key={id}>
            <button
              type="button"
              data-testid={`nav-${id}`}
              className={current === id ? "nav-item active" : "nav-item"}
              aria-current={current === id ? "page" : undefined}
              onClick={() => onSelect(id)}
            >
              <span aria-hidden="true" className="nav-icon">
                {icon}
              </span>
              {t(`nav.${id}`)}
            </button>
          </li>
        ))}
      </ul>
      <UpdateHint onOpen={() => onSelect("settings")} />
      {session?.demo && (
        <div className="demo-box" data-testid="demo-badge">
          <span className="demo-badge">{t("demo.badge")}</span>
          <p className="small">{t("demo.explain")}</p>
          <button type="button" data-testid="leave-demo" onClick={() => update(ipc.leaveDemo())}>
            {t("demo.leave")}
          </button>
        </div>
      )}
    </nav>
  );
}
