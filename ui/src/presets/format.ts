import type { TFunction } from "i18next";
import type { Preset, RequestDraft, Settings } from "../bindings";
import { DEFAULT_SETTINGS, type FormSettings } from "../generate/useGenerateForm";

/** The name to show: built-ins by their translated name, the user's own presets as typed. */
export function presetName(preset: Preset, t: TFunction): string {
  return preset.builtin ? t(`presets.builtin.${preset.builtin}`) : preset.name;
}

/** The form's settings a draft (or a preset's stored settings) stands for, as the form would hold them. */
export function settingsFromDraft(d: RequestDraft | Settings): FormSettings {
  const draft = d.draft ?? DEFAULT_SETTINGS.draft;
  return {
    // The form moves a draft to 480p (the only resolution the API takes drafts at); so must the comparison.
    resolution: draft ? "480p" : (d.resolution ?? DEFAULT_SETTINGS.resolution),
    ratio: d.ratio ?? DEFAULT_SETTINGS.ratio,
    duration: d.duration ?? DEFAULT_SETTINGS.duration,
    generate_audio: d.generate_audio ?? DEFAULT_SETTINGS.generate_audio,
    camera_fixed: d.camera_fixed ?? DEFAULT_SETTINGS.camera_fixed,
    draft,
    watermark: d.watermark ?? DEFAULT_SETTINGS.watermark,
  };
}

export function sameSettings(a: FormSettings, b: FormSettings): boolean {
  return (Object.keys(DEFAULT_SETTINGS) as (keyof FormSettings)[]).every((k) => a[k] === b[k]);
}

/** "720p · 9:16 · 5 s · audio" for a manager row. */
export function settingsSummary(settings: Settings, t: TFunction): string {
  const s = settingsFromDraft(settings);
  return [
    s.draft ? t("generate.draft") : s.resolution,
    s.ratio === "adaptive" ? t("generate.ratioAdaptive") : s.ratio,
    s.duration === -1 ? t("generate.durationAuto") : t("generate.seconds", { count: s.duration }),
    s.generate_audio ? t("jobs.withAudio") : t("jobs.silent"),
    s.camera_fixed ? t("generate.cameraFixed") : null,
    s.watermark ? t("generate.watermark") : null,
  ]
    .filter((part): part is string => part !== null)
    .join(" · ");
}

export function hasFrames(preset: Preset): boolean {
  return preset.first_frame !== null || preset.last_frame !== null;
}
