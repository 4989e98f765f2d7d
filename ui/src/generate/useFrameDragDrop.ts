import { getCurrentWebview } from "@tauri-apps/api/webview";
import { type RefObject, useEffect, useRef, useState } from "react";
import type { FrameSlot, ZoneRect } from "../bindings";
import { ipc } from "../ipc";

const SLOTS: FrameSlot[] = ["first", "last"];

type DragPayload =
  | { type: "enter"; paths: string[]; position: { x: number; y: number } }
  | { type: "over"; position: { x: number; y: number } }
  | { type: "drop"; paths: string[]; position: { x: number; y: number } }
  | { type: "leave" };

interface Options {
  zones: Record<FrameSlot, RefObject<HTMLElement | null>>;
  filled: Record<FrameSlot, boolean>;
  /** `handle`: the backend's handle for a file the window reported dropped. */
  onAssign: (slot: FrameSlot, handle: string) => void;
  /** A single video dropped: the form may be filled from the recipe the app wrote into it. */
  onVideo?: (path: string) => void;
}

/** Videos the app saves (MP4) and the names other tools give the same kind of file. */
const VIDEO = /\.(mp4|m4v|mov)$/i;

function zoneRects(zones: Options["zones"]): ZoneRect[] {
  return SLOTS.flatMap((slot) => {
    const el = zones[slot].current;
    if (!el) return [];
    const r = el.getBoundingClientRect();
    return [{ slot, x: r.left, y: r.top, width: r.width, height: r.height }];
  });
}

/** The zone under a point given in the OS's physical pixels; only used for the hover highlight. */
function zoneUnder(zones: Options["zones"], physical: { x: number; y: number }): FrameSlot | null {
  const scale = window.devicePixelRatio || 1;
  const x = physical.x / scale;
  const y = physical.y / scale;
  for (const rect of zoneRects(zones)) {
    const { x: left, y: top, width, height } = rect;
    if (left == null || top == null || width == null || height == null) continue;
    if (x >= left && x <= left + width && y >= top && y <= top + height) return rect.slot;
  }
  return null;
}

/**
 * Files dragged in from the OS. Returns the zone to highlight and how many dropped files were left out
 * (only two frames exist). Where each file goes is the backend's decision (`planFrameDrop`).
 */
export function useFrameDragDrop({ zones, filled, onAssign, onVideo }: Options) {
  const [hovered, setHovered] = useState<FrameSlot | null>(null);
  const [ignored, setIgnored] = useState(0);
  const latest = useRef({ zones, filled, onAssign, onVideo });
  latest.current = { zones, filled, onAssign, onVideo };

  useEffect(() => {
    const handle = async (payload: DragPayload) => {
      const { zones, filled, onAssign, onVideo } = latest.current;
      if (payload.type === "leave") {
        setHovered(null);
        return;
      }
      if (payload.type !== "drop") {
        setHovered(zoneUnder(zones, payload.position));
        return;
      }
      setHovered(null);
      const [only] = payload.paths;
      if (onVideo && payload.paths.length === 1 && only && VIDEO.test(only)) {
        onVideo(only);
        return;
      }
      try {
        const plan = await ipc.planFrameDrop(
          payload.paths,
          payload.position.x,
          payload.position.y,
          window.devicePixelRatio || 1,
          zoneRects(zones),
          filled.first,
          filled.last,
        );
        setIgnored(plan.ignored.length);
        for (const [slot, handle] of plan.assignments) onAssign(slot, handle);
      } catch {
        // Refused (files the window did not report dropped: the page cannot make a drop up), or no answer
        // from the backend: the drop simply does nothing.
      }
    };

    let disposed = false;
    let unlisten: (() => void) | null = null;
    try {
      getCurrentWebview()
        .onDragDropEvent((event) => {
          void handle(event.payload as DragPayload);
        })
        .then((stop) => {
          if (disposed) stop();
          else unlisten = stop;
        })
        .catch(() => undefined);
    } catch {
      // Outside the desktop shell (a plain browser preview) there is no OS drag and drop to listen to.
    }
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, []);

  return { hovered, ignored, dismissIgnored: () => setIgnored(0) };
}
