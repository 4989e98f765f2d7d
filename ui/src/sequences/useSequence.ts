/**
 * One sequence on screen: the stored view (shots and their takes, read again as jobs change), the user's
 * unsaved edits kept apart from it (a reload never overwrites a half-typed prompt), and saving them.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { SequenceDoc, SequenceView } from "../bindings";
import { ipc } from "../ipc";
import { onJobChanged } from "../jobs/api";
import { useQuery } from "../query";

/** Job events come in bursts; the sequence is read again at most this often. */
export const SEQUENCE_RELOAD_MS = 300;

export interface Edit {
  name: string;
  doc: SequenceDoc;
}

export function useSequence(id: string) {
  const query = useQuery(() => ipc.getSequence(id), [id]);
  const [edit, setEdit] = useState<Edit | null>(null);
  const { reload, set } = query;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = onJobChanged(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void reload();
      }, SEQUENCE_RELOAD_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [reload]);

  const view = query.data;
  const current: Edit | null = edit ?? (view ? { name: view.sequence.name, doc: view.sequence.doc } : null);
  const editRef = useRef(edit);
  editRef.current = edit;

  /** Saves the edits, if any; resolves once the stored view is on screen. Rejects with the IPC error. */
  const save = useCallback(async () => {
    const pending = editRef.current;
    if (!pending) return;
    const stored: SequenceView = await ipc.saveSequence(id, pending.name, pending.doc);
    set(stored);
    // Edits made while saving stay unsaved.
    if (editRef.current === pending) setEdit(null);
  }, [id, set]);

  return { query, view, current, dirty: edit !== null, setEdit, save };
}
