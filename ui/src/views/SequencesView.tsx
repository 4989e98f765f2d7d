/**
 * The Sequences screen: the list of sequences beside the one being edited. A new sequence starts with
 * one shot and the API's default settings, which the editor changes for every shot at once.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { defaultSettings } from "../generate/options";
import { type IpcError, ipc } from "../ipc";
import { useQuery } from "../query";
import { SequenceEditor } from "../sequences/SequenceEditor";

export function SequencesView() {
  const { t } = useTranslation();
  const list = useQuery(() => ipc.listSequences(), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<IpcError | null>(null);
  const sequences = list.data ?? [];

  useEffect(() => {
    if (selected === null && sequences.length > 0) setSelected(sequences[0]?.id ?? null);
  }, [selected, sequences]);

  const create = async () => {
    setError(null);
    try {
      const chosen = name.trim() || t("sequences.newDefault", { n: sequences.length + 1 });
      const view = await ipc.createSequence(chosen, defaultSettings);
      setName("");
      await list.reload();
      setSelected(view.sequence.id);
    } catch (e) {
      setError(e as IpcError);
    }
  };

  return (
    <div className="sequences-view" data-testid="sequences-view">
      <h1>{t("sequences.title")}</h1>
      <p className="muted small">{t("sequences.intro")}</p>
      <div className="seq-layout">
        <aside className="seq-list" aria-label={t("sequences.list")}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <input
              data-testid="seq-new-name"
              aria-label={t("sequences.newName")}
              placeholder={t("sequences.newName")}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" data-testid="seq-create">
              {t("sequences.create")}
            </button>
          </form>
          {sequences.length === 0 && <p className="muted small">{t("sequences.none")}</p>}
          <ul>
            {sequences.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  data-testid="seq-item"
                  className={s.id === selected ? "nav-item active" : "nav-item"}
                  aria-current={s.id === selected ? "true" : undefined}
                  onClick={() => setSelected(s.id)}
                >
                  {s.name} <span className="muted small">· {s.shots}</span>
                </button>
              </li>
            ))}
          </ul>
          {list.error && <ErrorNotice error={list.error} />}
          {error && <ErrorNotice error={error} />}
        </aside>
        {selected && (
          <SequenceEditor
            key={selected}
            id={selected}
            onDeleted={() => {
              setSelected(null);
              void list.reload();
            }}
          />
        )}
      </div>
    </div>
  );
}
