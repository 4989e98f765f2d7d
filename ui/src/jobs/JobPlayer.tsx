import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { type IpcError, ipc } from "../ipc";
import { useMutation, useQuery } from "../query";
import type { JobRecord } from "./api";
import { FrameBar } from "./FrameBar";
import { useJobs } from "./JobsContext";
import { platformOf, playerProblemKey } from "./playerProblem";
import { useFrameStepper } from "./useFrameStepper";
import { useVideoUrl } from "./video";

type Problem = { kind: "media"; key: string } | { kind: "backend"; error: IpcError };

/**
 * The inline player of a finished job. When the video cannot be shown, it says why and offers the system
 * player, instead of leaving a black box. Under it, the shown frame's timecode, stepping (`,` and `.`), and
 * "use this frame" as a first or last frame in Generate; the frame itself is extracted by the backend.
 */
export function JobPlayer({ job, onOpen }: { job: JobRecord; onOpen: () => void }) {
  const { t } = useTranslation();
  const source = useVideoUrl(job.id);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [playingUrl, setPlayingUrl] = useState<string | null>(null);
  const jobs = useJobs();
  const videoRef = useRef<HTMLVideoElement>(null);
  // The frames the backend counts in this video; without them the player still plays, without stepping.
  const frames = useQuery(source.url ? () => ipc.jobFrames(job.id) : null, [source.url, job.id]);
  const stepper = useFrameStepper(videoRef, frames.data);
  const use = useMutation(async (slot: "first" | "last") => {
    videoRef.current?.pause();
    const info = await ipc.takeJobFrame(job.id, stepper.current());
    jobs?.loadIntoGenerate(slot === "first" ? { firstFrame: info } : { lastFrame: info });
  });
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
    // biome-ignore lint/a11y/noStaticElementInteractions: the keys step the video inside, which has the focus.
    <div className="job-player-box" onKeyDown={stepper.onKeyDown}>
      {source.url && !failure && (
        // biome-ignore lint/a11y/useMediaCaption: generated clips carry no captions to offer.
        <video
          ref={videoRef}
          className="job-player"
          controls
          crossOrigin="anonymous"
          src={source.url}
          data-testid="player"
          onError={(e) => void explain(e.currentTarget.error?.code)}
          onTimeUpdate={stepper.follow}
          onSeeked={stepper.follow}
          onLoadedMetadata={(e) => {
            // Every generated clip has a picture. With GStreamer's audio decoder present but not its H.264 one,
            // WebKitGTK raises no error: it plays the sound over a black box and reports no picture size.
            if (e.currentTarget.videoWidth === 0) void explain(4);
          }}
        />
      )}
      {source.url && !failure && frames.data && (
        <FrameBar
          table={frames.data}
          shown={stepper.shown}
          busy={use.pending}
          onStep={stepper.step}
          onUse={(slot) => void use.run(slot)}
        />
      )}
      {use.error && <ErrorNotice error={use.error} />}
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
    </div>
  );
}
