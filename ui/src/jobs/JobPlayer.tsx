import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { type IpcError, ipc } from "../ipc";
import type { JobRecord } from "./api";
import { platformOf, playerProblemKey } from "./playerProblem";
import { useVideoUrl } from "./video";

type Problem = { kind: "media"; key: string } | { kind: "backend"; error: IpcError };

/**
 * The inline player of a finished job. When the video cannot be shown, it says why and offers the system
 * player, instead of leaving a black box.
 */
export function JobPlayer({ job, onOpen }: { job: JobRecord; onOpen: () => void }) {
  const { t } = useTranslation();
  const source = useVideoUrl(job.id);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [playingUrl, setPlayingUrl] = useState<string | null>(null);
  if (source.url !== playingUrl) {
    setPlayingUrl(source.url);
    setProblem(null);
  }

  /** A load failure looks like a format problem to the player: ask the backend first whether the file is there. */
  async function explain(code: number | undefined) {
    try {
      await ipc.jobVideoUrl(job.id);
      setProblem({ kind: "media", key: playerProblemKey(code, platformOf(navigator.userAgent)) });
    } catch (e) {
      setProblem({ kind: "backend", error: e as IpcError });
    }
  }

  const failure = source.error ? ({ kind: "backend", error: source.error } as const) : problem;
  return (
    <>
      {source.url && !failure && (
        // biome-ignore lint/a11y/useMediaCaption: generated clips carry no captions to offer.
        <video
          className="job-player"
          controls
          crossOrigin="anonymous"
          src={source.url}
          data-testid="player"
          onError={(e) => void explain(e.currentTarget.error?.code)}
          onLoadedMetadata={(e) => {
            // Every generated clip has a picture. With GStreamer's audio decoder present but not its H.264 one,
            // WebKitGTK raises no error: it plays the sound over a black box and reports no picture size.
            if (e.currentTarget.videoWidth === 0) void explain(4);
          }}
        />
      )}
      {failure && (
        <div className="player-problem" data-testid="player-error">
          {failure.kind === "backend" ? (
            <ErrorNotice error={failure.error} />
          ) : (
            <p className="job-problem small" role="alert" data-kind={failure.key}>
              {t(failure.key)}
            </p>
          )}
          <button type="button" data-testid="player-open" onClick={onOpen}>
            {t("jobs.openInSystemPlayer")}
          </button>
        </div>
      )}
    </>
  );
}
