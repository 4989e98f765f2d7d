/** Presets as the backend lists them, for the picker and manager tests. */
import type { AppliedPreset, BuiltinPreset, Preset, Settings } from "../bindings";
import type { IpcError } from "../ipc";
import { verbatim } from "../testMessages";

const BASE_SETTINGS: Required<Settings> = {
  resolution: "720p",
  ratio: "adaptive",
  duration: 5,
  generate_audio: true,
  camera_fixed: false,
  draft: false,
  watermark: false,
};

export function preset(id: string, name: string, extra: Partial<Preset> = {}): Preset {
  return {
    id,
    builtin: null,
    name,
    settings: { ...BASE_SETTINGS, ...extra.settings },
    prompt: null,
    first_frame: null,
    last_frame: null,
    is_default: false,
    position: 0,
    created_at_ms: 1_700_000_000_000,
    updated_at_ms: 1_700_000_000_000,
    ...extra,
  };
}

export function builtin(key: BuiltinPreset, name: string, settings: Settings): Preset {
  return preset(`builtin:${key}`, name, { builtin: key, settings: { ...BASE_SETTINGS, ...settings } });
}

export const VERTICAL = builtin("vertical_9_16_720p", "Vertical 9:16 720p", { ratio: "9:16" });
export const DRAFT = builtin("draft_480p", "Draft 480p", { resolution: "480p", draft: true, duration: 4 });

/** What apply_preset answers for a preset whose frames are all still there. */
export function appliedFrom(p: Preset): AppliedPreset {
  return {
    preset_id: p.id,
    draft: {
      prompt: p.prompt ?? "",
      first_frame: p.first_frame,
      last_frame: p.last_frame,
      ...BASE_SETTINGS,
      ...p.settings,
    },
    replaces_prompt: p.prompt !== null,
    replaces_frames: p.first_frame !== null || p.last_frame !== null,
    problems: [],
  };
}

export function ipcError(kind: string, message: string, message_zh: string): IpcError {
  return { kind, message: verbatim(message, message_zh), details: null, cause: null };
}
