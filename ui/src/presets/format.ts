import type { TFunction } from "i18next";
import type { DraftSettings, Preset, Settings } from "../bindings";
import { completeSettings, formOptions } from "../generate/options";

/** The name to show: built-ins by their translated name, the user's own presets as typed. */
export function presetName(preset: Preset, t: TFunction): string {
  return preset.builtin ? t(`presets.builtin.${preset.builtin}`) : preset.name;
}

/** The form's settings a draft (or a preset's stored settings) stands for, as the form would hold them. */
export function settingsFromDraft(d: DraftSettings): Required<DraftSettings> {
  const settings = completeSettings(d);
  // The form moves a draft to the draft resolution (the only one the API takes drafts at); so must the comparison.
  if (settings.draft) settings.resolution = formOptions.draft_resolution;
  return settings;
}

/** "720p · 9:16 · 5 s · audio" for a manager row. */
export function settingsSummary(settings: Settings, t: TFunction): string {
  const s = settingsFromDraft(settings);
  return [
    s.draft ? t("generate.draft") : s.resolution,
    s.ratio === "adaptive" ? t("generate.ratioAdaptive") : s.ratio,
    s.duration === formOptions.duration_auto
      ? t("generate.durationAuto")
      : t("generate.seconds", { count: s.duration }),
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
