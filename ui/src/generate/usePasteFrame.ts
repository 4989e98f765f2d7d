import { useEffect, useRef } from "react";
import type { FrameInfo, FrameSlot } from "../bindings";
import { ipc } from "../ipc";

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("the pasted image could not be read"));
    reader.readAsDataURL(file);
  });
}

interface Options {
  filled: Record<FrameSlot, boolean>;
  /** Fills a slot from a frame the backend produces (shows progress, and the refusal on the zone). */
  onFrame: (slot: FrameSlot, produce: () => Promise<FrameInfo>) => void;
}

/**
 * Ctrl/Cmd+V of an image: the backend saves the bytes to the app's frames folder and inspects them, and the
 * image goes to the first empty zone (the first zone when both are full). Pasting text is left alone.
 */
export function usePasteFrame({ filled, onFrame }: Options) {
  const latest = useRef({ filled, onFrame });
  latest.current = { filled, onFrame };

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = Array.from(e.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (!file) return;
      e.preventDefault();
      const { filled: now, onFrame: fill } = latest.current;
      const slot: FrameSlot = !now.first ? "first" : !now.last ? "last" : "first";
      fill(slot, async () => ipc.saveFrameImage(await readAsDataUrl(file)));
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  }, []);
}
