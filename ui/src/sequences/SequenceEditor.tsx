/**
 * One sequence: its name and shots to edit, Generate (the whole sequence, one confirmation with the total),
 * Re-roll per shot (asking whether to re-chain the shots after it, each choice with its cost), choosing
 * the take in the film, and joining the film. Edits are saved before anything is planned or sent, so the
 * backend plans exactly what the screen shows.
 */
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { RunScope, Shot } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { defaultSettings } from "../generate/options";
import { SettingsPanel } from "../generate/SettingsPanel";
import { errorText } from "../i18n";
import { type IpcError, ipc } from "../ipc";
import { ConfirmPanel } from "../jobs/ConfirmPanel";
import { FilmPanel } from "./FilmPanel";
import { type Pending, RunConfirm } from "./RunConfirm";
import { ShotCard } from "./ShotCard";
import { useSequence } from "./useSequence";

/** A fresh shot id (`crypto.randomUUID` needs a secure context, which a custom scheme may not be). */
function newShotId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function newShot(previous: boolean): Shot {
  return {
    id: newShotId(),
    prompt: "",
    first: previous ? { kind: "previous" } : { kind: "none" },
    last_frame: null,
    settings: null,
    chosen_take: null,
  };
}

/** What the backend refused a start with and the user may still say yes to. */
interface Question {
  error: IpcError;
  rechain: boolean;
  repeat: boolean;
  spend: boolean;
}

export function SequenceEditor({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { query, view, current, dirty, setEdit, save } = useSequence(id);
  const [pending, setPending] = useState<Pending | null>(null);
  const [question, setQuestion] = useState<Question | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const inFlight = useRef(false);

  if (!view || !current) {
    return query.error ? <ErrorNotice error={query.error} /> : <p className="muted">…</p>;
  }
  const shots = current.doc.shots;
  const setShots = (next: Shot[]) => setEdit({ ...current, doc: { ...current.doc, shots: next } });
  const takesOf = (shotId: string) => view.shots.find((s) => s.shot_id === shotId);
  const takeLabel = (jobId: string) => {
    for (const [i, s] of view.shots.entries()) {
      const at = s.takes.findIndex((take) => take.job.id === jobId);
      if (at >= 0) return { shot: i + 1, take: at + 1 };
    }
    return null;
  };

  /** One action at a time: a second press before the first's answer (before a re-render) does nothing. */
  const act = async (what: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(e as IpcError);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const scope = (shotId: string | null, rechain: boolean): RunScope =>
    shotId === null ? { kind: "whole" } : { kind: "shot", shot_id: shotId, rechain };

  const ask = (index: number | null) =>
    act(async () => {
      setStarted(false);
      await save();
      const shotId = index === null ? null : (shots[index]?.id ?? null);
      const alone = await ipc.planSequenceRun(id, scope(shotId, false));
      const followerChained = index !== null && shots[index + 1]?.first.kind === "previous";
      const chained = followerChained ? await ipc.planSequenceRun(id, scope(shotId, true)) : null;
      setPending({ shot: index === null ? null : index + 1, shotId, alone, chained });
    });

  const start = (rechain: boolean, repeat = false, spend = false) =>
    act(async () => {
      if (!pending) return;
      try {
        await ipc.startSequenceRun(id, scope(pending.shotId, rechain), repeat, spend);
      } catch (e) {
        const err = e as IpcError;
        if (err.kind === "batch_duplicate" || err.kind === "spend_limit") {
          setQuestion({ error: err, rechain, repeat: repeat || err.kind === "batch_duplicate", spend });
          return;
        }
        throw err;
      }
      setPending(null);
      setQuestion(null);
      setStarted(true);
      await query.reload();
    });

  return (
    <div className="seq-editor" data-testid="seq-editor">
      <div className="seq-name-row">
        <label>
          {t("sequences.name")}{" "}
          <input
            data-testid="seq-name"
            value={current.name}
            onChange={(e) => setEdit({ ...current, name: e.target.value })}
          />
        </label>
        <button type="button" data-testid="seq-save" disabled={!dirty || busy} onClick={() => void act(save)}>
          {t("sequences.save")}
        </button>
        <span className="small muted" data-testid="seq-saved">
          {dirty ? t("sequences.unsaved") : t("sequences.saved")}
        </span>
        <button
          type="button"
          className="danger seq-delete"
          data-testid="seq-delete"
          disabled={confirmDelete}
          onClick={() => setConfirmDelete(true)}
        >
          {t("sequences.delete")}
        </button>
      </div>
      {confirmDelete && (
        <ConfirmPanel
          title={t("sequences.deleteConfirm", { name: current.name })}
          confirmLabel={t("sequences.delete")}
          danger
          busy={busy}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            void act(async () => {
              await ipc.deleteSequence(id);
              onDeleted();
            })
          }
        />
      )}
      <SettingsPanel
        settings={{ ...defaultSettings, ...current.doc.defaults }}
        problems={[]}
        onChange={(patch) =>
          setEdit({ ...current, doc: { ...current.doc, defaults: { ...current.doc.defaults, ...patch } } })
        }
      />
      <ol className="seq-shots">
        {shots.map((shot, index) => (
          <ShotCard
            key={shot.id}
            shot={shot}
            index={index}
            count={shots.length}
            takes={takesOf(shot.id)}
            defaults={current.doc.defaults}
            takeLabel={takeLabel}
            busy={busy || pending !== null}
            onChange={(next) => setShots(shots.map((s) => (s.id === next.id ? next : s)))}
            onMove={(by) => {
              const next = shots.slice();
              const [moved] = next.splice(index, 1);
              if (!moved) return;
              next.splice(index + by, 0, moved);
              setShots(next);
            }}
            onRemove={() => setShots(shots.filter((s) => s.id !== shot.id))}
            onReroll={() => void ask(index)}
            onChoose={(jobId) =>
              void act(async () => {
                await save();
                query.set(await ipc.chooseTake(id, shot.id, jobId));
              })
            }
            onError={setError}
          />
        ))}
      </ol>
      <button
        type="button"
        data-testid="seq-add"
        onClick={() => setShots([...shots, newShot(shots.length > 0)])}
      >
        {t("sequences.addShot")}
      </button>
      <div className="seq-actions">
        <button
          type="button"
          className="primary"
          data-testid="seq-generate"
          disabled={busy || pending !== null}
          onClick={(e) => {
            if (e.detail > 1) return;
            void ask(null);
          }}
        >
          {t("sequences.generate")}
        </button>
        <FilmPanel view={view} beforeJoin={save} />
      </div>
      {pending && !question && (
        <RunConfirm
          pending={pending}
          busy={busy}
          onStart={(rechain) => void start(rechain)}
          onCancel={() => setPending(null)}
        />
      )}
      {question && (
        <div className="confirm-panel" role="alertdialog" data-testid="seq-question">
          <p className="confirm-title">{errorText(t, question.error)}</p>
          <div className="confirm-actions">
            <button
              type="button"
              onClick={() => {
                setQuestion(null);
                setPending(null);
              }}
            >
              {t("sequences.cancel")}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="seq-question-yes"
              onClick={() =>
                void start(
                  question.rechain,
                  question.repeat,
                  question.spend || question.error.kind === "spend_limit",
                )
              }
            >
              {question.error.kind === "spend_limit" ? t("sequences.passLimit") : t("sequences.again")}
            </button>
          </div>
        </div>
      )}
      {started && (
        <p className="small" data-testid="seq-started">
          {t("sequences.started")}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
