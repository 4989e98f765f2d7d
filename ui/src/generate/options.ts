/**
 * The Generate form's defaults, option lists and rules, exactly as the backend exports them (`FormOptions` in
 * Rust, a constant in the generated bindings). The UI declares none of its own, so a setting the backend adds
 * or changes reaches the form without a second list to keep in step.
 */
import { type DraftSettings, FORM_OPTIONS, type FormOptions } from "../bindings";

type Frozen<T> = { readonly [K in keyof T]: T[K] extends (infer E)[] ? readonly E[] : T[K] };

export const formOptions: Frozen<FormOptions> = FORM_OPTIONS;

/** A new form: the API's defaults. Typed as complete, so a default the backend left out fails to compile. */
export const defaultSettings: Required<DraftSettings> = FORM_OPTIONS.defaults;

/** The explicit clip lengths the duration menu offers, in seconds. */
export const clipSeconds: readonly number[] = Array.from(
  { length: formOptions.duration_max - formOptions.duration_min + 1 },
  (_, i) => formOptions.duration_min + i,
);

const SETTING_KEYS = Object.keys(defaultSettings) as (keyof DraftSettings)[];

/** The settings a draft (or a preset's stored settings) holds, each missing one at its default. */
export function completeSettings(d: DraftSettings): Required<DraftSettings> {
  const complete: Record<string, unknown> = { ...defaultSettings };
  for (const key of SETTING_KEYS) {
    if (d[key] != null) complete[key] = d[key];
  }
  return complete as Required<DraftSettings>;
}

export function sameSettings(a: Required<DraftSettings>, b: Required<DraftSettings>): boolean {
  return SETTING_KEYS.every((k) => a[k] === b[k]);
}
