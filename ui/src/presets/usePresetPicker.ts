import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AppliedPreset, DraftSettings, Preset, Problem } from "../bindings";
import { sameSettings } from "../generate/options";
import type { GenerateForm } from "../generate/useGenerateForm";
import { type IpcError, ipc } from "../ipc";
import { hasFrames, settingsFromDraft } from "./format";
import { usePresets } from "./PresetsContext";

/** What the form held right after a preset was applied or saved: the yardstick for "(modified)". */
interface Active {
  id: string;
  settings: Required<DraftSettings>;
  /** Null when the preset leaves the prompt alone; then the prompt never counts as a change. */
  prompt: string | null;
}

type FormParts = Pick<
  GenerateForm,
  "settings" | "prompt" | "draft" | "setPrompt" | "updateSettings" | "loadDraft"
>;

/**
 * The Generate form's preset picker: apply, save as new, update, and the start-up restore (the default
 * preset, else the settings and prompt last submitted).
 */
export function usePresetPicker(form: FormParts, restoreOnStart: boolean) {
  const { presets, error: listError, reload } = usePresets();
  const [active, setActive] = useState<Active | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<IpcError | null>(null);
  const { setPrompt, updateSettings, loadDraft } = form;
  // Read when an apply answers, so a prompt typed while it was on its way is the one kept.
  const promptNow = useRef(form.prompt);
  promptNow.current = form.prompt;

  const apply = useCallback(
    async (id: string) => {
      setError(null);
      let applied: AppliedPreset;
      try {
        applied = await ipc.applyPreset(id);
      } catch (e) {
        setError(e as IpcError);
        return;
      }
      const settings = settingsFromDraft(applied.draft);
      const prompt = applied.replaces_prompt ? (applied.draft.prompt ?? "") : null;
      if (applied.replaces_frames) {
        loadDraft({ ...applied.draft, prompt: prompt ?? promptNow.current });
      } else {
        updateSettings(settings);
        if (prompt !== null) setPrompt(prompt);
      }
      setActive({ id, settings, prompt });
      setProblems(applied.problems);
    },
    [loadDraft, updateSettings, setPrompt],
  );

  const clearActive = useCallback(() => {
    setActive(null);
    setProblems([]);
    setError(null);
  }, []);

  /** Rejects with the backend's error (a name already taken, say) for the save form to show. */
  const saveNew = useCallback(
    async (name: string, includePrompt: boolean, includeFrames: boolean) => {
      const saved = await ipc.savePreset(name, form.draft, includePrompt, includeFrames);
      setActive({ id: saved.id, settings: form.settings, prompt: includePrompt ? form.prompt : null });
      setProblems([]);
      setError(null);
      await reload();
      return saved;
    },
    [form.draft, form.settings, form.prompt, reload],
  );

  const activePreset: Preset | null = useMemo(
    () => (active && presets?.find((p) => p.id === active.id)) || null,
    [active, presets],
  );

  /** Overwrites the active user preset with the form, keeping the parts (prompt, frames) it carries. */
  const update = useCallback(async () => {
    if (!activePreset || activePreset.builtin) return false;
    setError(null);
    const withPrompt = activePreset.prompt !== null;
    try {
      await ipc.updatePreset(activePreset.id, form.draft, withPrompt, hasFrames(activePreset));
    } catch (e) {
      setError(e as IpcError);
      return false;
    }
    setActive({ id: activePreset.id, settings: form.settings, prompt: withPrompt ? form.prompt : null });
    setProblems([]);
    await reload();
    return true;
  }, [activePreset, form.draft, form.settings, form.prompt, reload]);

  const modified =
    activePreset !== null &&
    active !== null &&
    (!sameSettings(active.settings, form.settings) ||
      (active.prompt !== null && active.prompt !== form.prompt));

  // Once per window, after the first list answer (or its failure): the default preset, else the last request.
  const restored = useRef(!restoreOnStart);
  const listed = presets !== null || listError !== null;
  useEffect(() => {
    if (restored.current || !listed) return;
    restored.current = true;
    const startWith = presets?.find((p) => p.is_default);
    if (startWith) {
      void apply(startWith.id);
      return;
    }
    ipc.getPreferences().then(
      ({ prefs }) => {
        const last = prefs.last_request;
        if (!last) return;
        // Frames are not restored: the files may have moved since, and a stale frame costs a paid mistake.
        updateSettings(settingsFromDraft(last));
        setPrompt(last.prompt ?? "");
      },
      // The form keeps its defaults; the Settings screen shows why preferences could not be read.
      () => undefined,
    );
  }, [listed, presets, apply, updateSettings, setPrompt]);

  return {
    presets,
    listError,
    activePreset,
    modified,
    problems,
    error,
    apply,
    clearActive,
    saveNew,
    update,
  };
}

export type PresetPickerState = ReturnType<typeof usePresetPicker>;
