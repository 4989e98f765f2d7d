import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FrameSlot } from "../components/FrameSlot";
import { PromptBox } from "../components/PromptBox";
import { QueuePanel } from "../components/QueuePanel";

const RESOLUTIONS = ["480p", "720p", "1080p"] as const;
const RATIOS = ["adaptive", "16:9", "4:3", "1:1", "3:4", "9:16", "21:9"] as const;
const DURATIONS = [4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

interface FormSettings {
  resolution: (typeof RESOLUTIONS)[number];
  ratio: (typeof RATIOS)[number];
  duration: number; // -1 = Auto
  audio: boolean;
  cameraFixed: boolean;
  draft: boolean;
  watermark: boolean;
}

const DEFAULTS: FormSettings = {
  resolution: "720p",
  ratio: "adaptive",
  duration: 5,
  audio: true,
  cameraFixed: false,
  draft: false,
  watermark: false,
};

export function GenerateView() {
  const { t } = useTranslation();
  const [prompt, setPrompt] = useState("");
  const [s, setS] = useState<FormSettings>(DEFAULTS);
  const set = <K extends keyof FormSettings>(k: K, v: FormSettings[K]) =>
    setS((prev) => ({ ...prev, [k]: v }));

  return (
    <div className="generate-layout">
      <section className="generate" data-testid="generate-screen" aria-labelledby="generate-title">
        <h1 id="generate-title">{t("generate.title")}</h1>
        <div className="frames">
          <FrameSlot slot="first" />
          <button
            type="button"
            className="swap"
            aria-label={t("generate.swap")}
            title={t("generate.swap")}
            disabled
          >
            ⇄
          </button>
          <FrameSlot slot="last" />
        </div>
        <p className="mode-badge" data-testid="mode-badge">
          {t("generate.mode.label")}: {t("generate.mode.text_to_video")}
        </p>
        <PromptBox value={prompt} onChange={setPrompt} />
        <fieldset className="settings-area" data-testid="settings-area">
          <legend>{t("generate.settings")}</legend>
          <label>
            {t("generate.resolution")}
            <select
              value={s.resolution}
              disabled={s.draft}
              onChange={(e) => set("resolution", e.target.value as FormSettings["resolution"])}
            >
              {RESOLUTIONS.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label>
            {t("generate.ratio")}
            <select value={s.ratio} onChange={(e) => set("ratio", e.target.value as FormSettings["ratio"])}>
              {RATIOS.map((r) => (
                <option key={r} value={r}>
                  {r === "adaptive" ? t("generate.ratioAdaptive") : r}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("generate.duration")}
            <select value={s.duration} onChange={(e) => set("duration", Number(e.target.value))}>
              <option value={-1}>{t("generate.durationAuto")}</option>
              {DURATIONS.map((d) => (
                <option key={d} value={d}>
                  {t("generate.seconds", { count: d })}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={s.audio} onChange={(e) => set("audio", e.target.checked)} />
            {t("generate.audio")}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={s.cameraFixed}
              onChange={(e) => set("cameraFixed", e.target.checked)}
            />
            {t("generate.cameraFixed")}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={s.draft}
              onChange={(e) =>
                setS((p) => ({
                  ...p,
                  draft: e.target.checked,
                  resolution: e.target.checked ? "480p" : p.resolution,
                }))
              }
            />
            {t("generate.draft")}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={s.watermark}
              onChange={(e) => set("watermark", e.target.checked)}
            />
            {t("generate.watermark")}
          </label>
        </fieldset>
        <div className="submit-row">
          <span className="muted small" data-testid="submit-reason">
            {t("generate.notAvailable")}
          </span>
          <button type="button" className="primary" data-testid="generate-button" disabled>
            {t("generate.submit")} <kbd>{t("generate.submitShortcut")}</kbd>
          </button>
        </div>
      </section>
      <QueuePanel />
    </div>
  );
}
