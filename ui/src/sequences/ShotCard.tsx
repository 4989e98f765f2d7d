/**
 * One shot of the sequence editor: its prompt, where its first frame comes from (a picture, the previous
 * shot's last frame, or none), an optional frame to end on, and its takes with the one in the film.
 */
import { useTranslation } from "react-i18next";
import type { DraftSettings, FirstFrame, Shot, ShotTakes } from "../bindings";
import { defaultSettings } from "../generate/options";
import { SettingsPanel } from "../generate/SettingsPanel";
import { type IpcError, ipc } from "../ipc";
import { JobStatusBadge } from "../jobs/JobStatusBadge";
import { FrameThumb, TakePoster } from "./FrameThumb";

interface Props {
  shot: Shot;
  index: number;
  count: number;
  takes: ShotTakes | undefined;
  /** The sequence's settings, which a shot without its own uses. */
  defaults: DraftSettings;
  /** Take numbers of every job of the sequence, to say where a chained take starts from. */
  takeLabel: (jobId: string) => { shot: number; take: number } | null;
  busy: boolean;
  onChange: (shot: Shot) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  onReroll: () => void;
  onChoose: (jobId: string) => void;
  onError: (e: IpcError) => void;
}

export function ShotCard(p: Props) {
  const { t } = useTranslation();
  const { shot, index } = p;
  const n = index + 1;
  const pick = async (into: "first" | "last") => {
    try {
      const info = await ipc.pickFrame(t("generate.imageFilter"));
      if (!info) return;
      if (into === "first") p.onChange({ ...shot, first: { kind: "image", path: info.handle } });
      else p.onChange({ ...shot, last_frame: info.handle });
    } catch (e) {
      p.onError(e as IpcError);
    }
  };
  const setFirst = (kind: FirstFrame["kind"]) => {
    if (kind === "image") {
      if (shot.first.kind !== "image") void pick("first");
      return;
    }
    p.onChange({ ...shot, first: kind === "previous" ? { kind: "previous" } : { kind: "none" } });
  };
  const takes = p.takes?.takes ?? [];
  return (
    <li className="seq-shot" data-testid="seq-shot" data-shot={shot.id}>
      <header className="seq-shot-head">
        <h3>{t("sequences.shot", { n })}</h3>
        <div className="seq-shot-tools">
          <button
            type="button"
            disabled={index === 0}
            onClick={() => p.onMove(-1)}
            aria-label={t("sequences.moveUp")}
          >
            ↑
          </button>
          <button
            type="button"
            disabled={index === p.count - 1}
            onClick={() => p.onMove(1)}
            aria-label={t("sequences.moveDown")}
          >
            ↓
          </button>
          <button
            type="button"
            disabled={p.count === 1}
            onClick={p.onRemove}
            aria-label={t("sequences.remove")}
          >
            ✕
          </button>
        </div>
      </header>
      <textarea
        data-testid="seq-prompt"
        aria-label={t("sequences.prompt", { n })}
        placeholder={t("sequences.promptPlaceholder")}
        value={shot.prompt}
        rows={3}
        onChange={(e) => p.onChange({ ...shot, prompt: e.target.value })}
      />
      <div className="seq-frames">
        <label>
          {t("sequences.firstFrom")}{" "}
          <select
            data-testid="seq-first"
            value={shot.first.kind}
            onChange={(e) => setFirst(e.target.value as FirstFrame["kind"])}
          >
            <option value="none">{t("sequences.first.none")}</option>
            <option value="image">{t("sequences.first.image")}</option>
            {index > 0 && <option value="previous">{t("sequences.first.previous", { n: index })}</option>}
          </select>
        </label>
        {shot.first.kind === "image" && (
          <span className="seq-frame">
            {shot.first.path ? (
              <FrameThumb handle={shot.first.path} alt={t("sequences.firstFrom")} />
            ) : (
              <span className="muted small">{t("sequences.noImage")}</span>
            )}
            <button type="button" onClick={() => void pick("first")}>
              {t("sequences.pickImage")}
            </button>
          </span>
        )}
        <span className="seq-frame">
          {t("sequences.lastFrame")}{" "}
          {shot.last_frame ? (
            <>
              <FrameThumb handle={shot.last_frame} alt={t("sequences.lastFrame")} />
              <button type="button" onClick={() => p.onChange({ ...shot, last_frame: null })}>
                {t("sequences.clearLast")}
              </button>
            </>
          ) : (
            <>
              <span className="muted small">{t("sequences.lastNone")}</span>
              <button type="button" onClick={() => void pick("last")}>
                {t("sequences.pickLast")}
              </button>
            </>
          )}
        </span>
      </div>
      <label className="seq-own-settings">
        <input
          type="checkbox"
          data-testid="seq-own-settings"
          checked={shot.settings !== null}
          onChange={(e) => p.onChange({ ...shot, settings: e.target.checked ? { ...p.defaults } : null })}
        />{" "}
        {t("sequences.ownSettings")}
      </label>
      {shot.settings && (
        <SettingsPanel
          settings={{ ...defaultSettings, ...shot.settings }}
          problems={[]}
          onChange={(patch) =>
            p.onChange({ ...shot, settings: { ...(shot.settings ?? p.defaults), ...patch } })
          }
        />
      )}
      <div className="seq-takes" data-testid="seq-takes">
        <span className="seq-takes-label">{t("sequences.takes")}</span>
        {takes.length === 0 && <span className="muted small">{t("sequences.noTakes")}</span>}
        <ol>
          {takes.map((take, i) => {
            const inFilm = p.takes?.in_film === take.job.id;
            const from = take.chained_from ? p.takeLabel(take.chained_from) : null;
            return (
              <li
                key={take.job.id}
                className={inFilm ? "seq-take in-film" : "seq-take"}
                data-testid="seq-take"
              >
                {take.job.status === "done" && take.job.output_path && <TakePoster jobId={take.job.id} />}
                <span className="seq-take-n">{t("sequences.take", { n: i + 1 })}</span>
                {take.job.status === "not_sent" && from ? (
                  <span className="status-badge" data-testid="seq-waiting">
                    {t("sequences.status.waiting", { n: from.shot })}
                  </span>
                ) : (
                  <JobStatusBadge job={take.job} />
                )}
                {from && (
                  <span className="muted small">
                    {t("sequences.chainedFrom", { shot: from.shot, n: from.take })}
                  </span>
                )}
                {inFilm ? (
                  <span className="seq-in-film" data-testid="seq-in-film">
                    {t("sequences.inFilm")}
                  </span>
                ) : (
                  take.job.status === "done" && (
                    <button type="button" data-testid="seq-choose" onClick={() => p.onChoose(take.job.id)}>
                      {t("sequences.useInFilm")}
                    </button>
                  )
                )}
              </li>
            );
          })}
        </ol>
        {takes.length > 0 && (
          <button type="button" data-testid="seq-reroll" disabled={p.busy} onClick={p.onReroll}>
            {t("sequences.reroll")}
          </button>
        )}
      </div>
    </li>
  );
}
