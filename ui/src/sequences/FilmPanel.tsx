/**
 * Joining the film: the takes in the film, in shot order, into one MP4 in the output folder. When takes
 * differ (size, ratio, encoder settings) or some have sound and others not, the backend says which, and
 * the user can leave those shots out, join without sound, or join in parts (one file per run of takes
 * that can share a film, every take and its sound kept); nothing is left out without asking.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ClipMismatch, JoinedFilm, SequenceView, TimelineFormat, TimelineReport } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { type IpcError, ipc } from "../ipc";

/** The shots whose takes are in the film, in order: clip `i` of a join is `included[i]`. */
export function includedShots(view: SequenceView, leaveOut: string[]): string[] {
  return view.shots.filter((s) => !leaveOut.includes(s.shot_id) && s.in_film !== null).map((s) => s.shot_id);
}

export function FilmPanel({ view, beforeJoin }: { view: SequenceView; beforeJoin: () => Promise<void> }) {
  const { t } = useTranslation();
  const [film, setFilm] = useState<JoinedFilm | null>(null);
  const [parts, setParts] = useState<JoinedFilm[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [leaveOut, setLeaveOut] = useState<string[]>([]);
  const [timeline, setTimeline] = useState<TimelineReport | null>(null);

  /** The takes in the film, in shot order, as a timeline file for an editor (the backend asks where). */
  const exportTimeline = async (format: TimelineFormat) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setTimeline(null);
    try {
      await beforeJoin();
      const jobs = view.shots.map((s) => s.in_film).filter((id): id is string => id !== null);
      setTimeline(await ipc.exportTimeline(jobs, view.sequence.name, format));
    } catch (e) {
      setError(e as IpcError);
    } finally {
      setBusy(false);
    }
  };

  /** Runs one join (whole, or in parts) at a time, with the sequence saved first. */
  const joining = async (out: string[], make: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setFilm(null);
    setParts(null);
    try {
      await beforeJoin();
      setLeaveOut(out);
      await make();
    } catch (e) {
      setError(e as IpcError);
    } finally {
      setBusy(false);
    }
  };
  const join = (out: string[], dropAudio: boolean) =>
    joining(out, async () => setFilm(await ipc.joinSequence(view.sequence.id, out, dropAudio)));
  const joinParts = (out: string[]) =>
    joining(out, async () => setParts(await ipc.joinSequenceParts(view.sequence.id, out)));

  const differing = (): string[] => {
    if (!error?.details || error.kind !== "film_clips_differ") return [];
    const included = includedShots(view, leaveOut);
    const mismatches = JSON.parse(error.details) as ClipMismatch[];
    return mismatches.map((m) => included[m.clip.index]).filter((id): id is string => id !== undefined);
  };
  const ready = view.shots.some((s) => s.in_film !== null);
  return (
    <section className="seq-film" aria-label={t("sequences.join")}>
      <button
        type="button"
        className="primary"
        data-testid="seq-join"
        disabled={busy || !ready}
        onClick={(e) => {
          if (e.detail > 1) return;
          void join([], false);
        }}
      >
        {busy ? t("sequences.joining") : t("sequences.join")}
      </button>
      <div className="seq-timeline">
        <button
          type="button"
          data-testid="seq-export-fcpxml"
          disabled={busy || !ready}
          onClick={() => void exportTimeline("fcpxml")}
        >
          {t("sequences.exportFcpxml")}
        </button>
        <button
          type="button"
          data-testid="seq-export-edl"
          disabled={busy || !ready}
          onClick={() => void exportTimeline("edl")}
        >
          {t("sequences.exportEdl")}
        </button>
      </div>
      {timeline && (
        <p className="small" data-testid="seq-timeline">
          {t("sequences.timelineSaved", {
            clips: timeline.clips,
            seconds: (timeline.duration_secs ?? 0).toFixed(1),
          })}
        </p>
      )}
      {film && (
        <p className="small" data-testid="seq-film">
          {t("sequences.joined", {
            path: film.path,
            seconds: (film.duration_secs ?? 0).toFixed(1),
            clips: film.clips,
          })}
          {film.audio_dropped && ` ${t("sequences.joinedSilent")}`}
        </p>
      )}
      {parts && (
        <div className="small" data-testid="seq-film-parts">
          <p>{t("sequences.joinedParts", { count: parts.length })}</p>
          <ol>
            {parts.map((part) => (
              <li key={part.path}>
                {t("sequences.part", {
                  path: part.path,
                  seconds: (part.duration_secs ?? 0).toFixed(1),
                  count: part.clips,
                })}
              </li>
            ))}
          </ol>
        </div>
      )}
      {error && (
        <div data-testid="seq-film-error">
          <ErrorNotice error={error} />
          {error.kind === "film_clips_differ" && differing().length > 0 && (
            <button type="button" onClick={() => void join([...leaveOut, ...differing()], false)}>
              {t("sequences.leaveOutJoin")}
            </button>
          )}
          {error.kind === "film_audio_mixed" && (
            <button type="button" onClick={() => void join(leaveOut, true)}>
              {t("sequences.joinSilent")}
            </button>
          )}
          {(error.kind === "film_clips_differ" || error.kind === "film_audio_mixed") && (
            <button type="button" data-testid="seq-join-parts" onClick={() => void joinParts(leaveOut)}>
              {t("sequences.joinParts")}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
