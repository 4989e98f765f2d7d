/**
 * The Settings screen's state: the stored preferences, the form's edited copy, and the actions that save it,
 * pick the output folder or remove the token. Kept apart from the sections so each only draws its fields.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { applyAppearance, type Prefs } from "../appearance";
import { ipc } from "../ipc";
import { useMutation, useQuery } from "../query";
import { useSession } from "../session";

/** Changes one preference in the form (nothing is saved until Save). */
export type SetPref = <K extends keyof Prefs>(key: K, value: Prefs[K]) => void;

export function usePreferencesForm() {
  const { i18n } = useTranslation();
  const { update } = useSession();
  const info = useQuery(() => ipc.appInfo(), []);
  const stored = useQuery(() => ipc.getPreferences(), []);
  const [draft, setDraft] = useState<Prefs | null>(null);
  const [saved, setSaved] = useState(false);
  // The first answer fills the form; later ones (a save, a folder choice) say themselves what they change.
  const [filled, setFilled] = useState(false);
  if (!filled && stored.data) {
    setFilled(true);
    setDraft(stored.data.prefs as Prefs);
  }

  // One action at a time, and one error for the screen: a new action clears the last one's.
  const action = useMutation((run: () => Promise<void>) => run());

  const set: SetPref = (key, value) => {
    setSaved(false);
    setDraft((d) => (d ? { ...d, [key]: value } : d));
  };

  const save = () =>
    void action.run(async () => {
      if (!draft) return;
      const v = await ipc.savePreferences(draft);
      stored.set(v);
      setDraft(v.prefs as Prefs);
      setSaved(true);
      applyAppearance(v.prefs, i18n);
    });

  // The backend opens the folder picker and saves the choice itself: the page never names a folder.
  const chooseFolder = () =>
    void action.run(async () => {
      const v = await ipc.chooseOutputFolder();
      if (!v) return;
      stored.set(v);
      setDraft((d) => (d ? { ...d, output_dir: v.prefs.output_dir ?? null } : d));
    });

  const removeToken = () =>
    void action.run(async () => {
      await update(ipc.removeToken());
    });

  return {
    info: info.data,
    view: stored.data,
    draft,
    saved,
    error: action.error ?? stored.error ?? info.error,
    set,
    save,
    chooseFolder,
    removeToken,
  };
}
