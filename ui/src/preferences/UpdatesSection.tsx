/**
 * Under the Updates heading: whether the app looks for a newer version when it starts, "Check now", and the
 * version on offer with its release notes, "Download and install" with its progress, then "Relaunch". The
 * backend checks, downloads, verifies and installs (the page has no updater of its own); it refuses to
 * install while a job uploads or sends its paid create request, and the button says why. Release notes come
 * from the network: they are shown as plain text, never as HTML.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Prefs } from "../appearance";
import { events, type UpdateProgress } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatBytes } from "../generate/format";
import { messageText } from "../i18n";
import { ipc } from "../ipc";
import { subscribe } from "../jobs/api";
import { percent } from "../jobs/format";
import { useMutation, useQuery } from "../query";
import type { SetPref } from "./usePreferencesForm";

/** How often the jobs' sending state is asked again while an update is on offer. */
const SENDING_RECHECK_MS = 2000;

export function UpdatesSection({ draft, set }: { draft: Prefs; set: SetPref }) {
  const { t, i18n } = useTranslation();
  const status = useQuery(() => ipc.updateStatus(), []);
  const [checked, setChecked] = useState(false);
  const [progress, setProgress] = useState<UpdateProgress | null>(null);
  const check = useMutation(async () => {
    setChecked(false);
    await ipc.checkForUpdate();
    setChecked(true);
    await status.reload();
  });
  const install = useMutation(async () => {
    setProgress(null);
    try {
      await ipc.installUpdate();
    } finally {
      await status.reload();
    }
  });
  const relaunch = useMutation(() => ipc.relaunchApp());

  const { reload } = status;
  const offer = status.data?.offer ?? null;
  const installed = status.data?.installed ?? false;
  const installing = (status.data?.installing ?? false) || install.pending;
  const sending = status.data?.sending ?? { uploading: 0, creating: 0 };
  const busy = sending.uploading + sending.creating > 0;

  // A check on start may find an update after this screen opened; a download reports its bytes.
  useEffect(() => {
    const stops = [
      subscribe(events.updateAvailable.listen, () => void reload()),
      subscribe(events.updateProgress.listen, setProgress),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [reload]);
  // While an update waits to be installed, whether jobs are sending changes with them.
  useEffect(() => {
    if (!offer || installed) return;
    const timer = setInterval(() => void reload(), SENDING_RECHECK_MS);
    return () => clearInterval(timer);
  }, [offer, installed, reload]);

  const error = check.error ?? install.error ?? relaunch.error ?? status.error;
  return (
    <>
      <h2>{t("settings.updates.title")}</h2>
      <label className="check">
        <input
          type="checkbox"
          data-testid="update-on-start"
          checked={draft.check_for_updates}
          onChange={(e) => set("check_for_updates", e.target.checked)}
        />
        {t("settings.updates.onStart")}
      </label>
      <div className="row">
        <button
          type="button"
          data-testid="update-check"
          disabled={check.pending || installing}
          onClick={() => void check.run()}
        >
          {check.pending ? t("settings.updates.checking") : t("settings.updates.checkNow")}
        </button>
        {checked && !offer && !check.error && (
          <span role="status" className="ok" data-testid="update-none">
            {t("settings.updates.upToDate")}
          </span>
        )}
      </div>
      {offer && (
        <div className="update-offer" data-testid="update-offer">
          <p>
            <strong>
              {t("settings.updates.available", { version: offer.version, current: offer.current_version })}
            </strong>
            {offer.date && (
              <span className="muted small">
                {" · "}
                {t("settings.updates.released", { date: formatDate(offer.date, i18n.language) })}
              </span>
            )}
          </p>
          {offer.notes && (
            <>
              <h3 className="small">{t("settings.updates.notes")}</h3>
              <pre className="update-notes" data-testid="update-notes">
                {offer.notes}
              </pre>
            </>
          )}
          <p className="muted small">{t("settings.updates.resumeNote")}</p>
          {installed ? (
            <div className="row">
              <span role="status" className="ok" data-testid="update-installed">
                {t("settings.updates.installed")}
              </span>
              <button
                type="button"
                data-testid="update-relaunch"
                disabled={relaunch.pending}
                onClick={() => void relaunch.run()}
              >
                {t("settings.updates.relaunch")}
              </button>
            </div>
          ) : (
            <>
              <div className="row">
                <button
                  type="button"
                  data-testid="update-install"
                  disabled={busy || installing}
                  onClick={() => void install.run()}
                >
                  {t("settings.updates.install")}
                </button>
              </div>
              {busy && !installing && (
                <p className="warn small" data-testid="update-busy">
                  {messageText(t, {
                    key: "msg.update.busy",
                    args: { uploading: sending.uploading, creating: sending.creating },
                  })}
                </p>
              )}
              {installing && <DownloadBar progress={progress} />}
            </>
          )}
        </div>
      )}
      {error && <ErrorNotice error={error} />}
    </>
  );
}

/** The update's download: a bar when the size is known, the bytes so far either way. */
function DownloadBar({ progress }: { progress: UpdateProgress | null }) {
  const { t } = useTranslation();
  const done = progress?.done ?? 0;
  const total = progress?.total ?? null;
  const pct = percent(done, total);
  const label =
    total != null
      ? t("settings.updates.downloading", { done: formatBytes(done) ?? "0", total: formatBytes(total) ?? "" })
      : t("settings.updates.downloadingUnknown", { done: formatBytes(done) ?? "0" });
  return (
    <div className="job-progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={t("settings.updates.install")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        data-testid="update-progress"
      >
        <div
          className={pct == null ? "progress-fill indeterminate" : "progress-fill"}
          style={{ width: `${pct ?? 100}%` }}
        />
      </div>
      <span className="muted small">{label}</span>
    </div>
  );
}

/** The release date in the reader's language; the text as sent when it is not a date. */
function formatDate(date: string, language: string): string {
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? date : parsed.toLocaleDateString(language);
}
