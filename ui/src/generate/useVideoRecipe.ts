import { useCallback, useState } from "react";
import type { FrameSlot, RequestDraft } from "../bindings";
import { type IpcError, ipc } from "../ipc";

/** What the last dropped video did to the form. */
export type VideoRecipeNotice =
  | { kind: "restored"; missing: FrameSlot[] }
  | { kind: "error"; error: IpcError };

/**
 * A video the app made, dropped onto Generate: the backend reads the recipe written into it and the form
 * is filled the way "Use settings" fills it. A video without a recipe (or from a newer app) leaves the form
 * as it was and says why.
 */
export function useVideoRecipe(loadDraft: (draft: RequestDraft) => void) {
  const [notice, setNotice] = useState<VideoRecipeNotice | null>(null);
  const restore = useCallback(
    async (path: string) => {
      setNotice(null);
      try {
        const restored = await ipc.restoreDroppedVideo(path);
        loadDraft(restored.draft);
        setNotice({ kind: "restored", missing: restored.missing_frames });
      } catch (e) {
        setNotice({ kind: "error", error: e as IpcError });
      }
    },
    [loadDraft],
  );
  return { notice, restore, dismiss: () => setNotice(null) };
}
