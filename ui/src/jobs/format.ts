import type { TFunction } from "i18next";
import { groupThousands } from "../generate/format";
import { formOptions } from "../generate/options";
import type { JobRecord } from "./api";

/** "0:42", "12:05", "1:02:03". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Time since the job was created; for a settled job, the time it took. */
export function elapsedMs(job: JobRecord, now: number): number {
  const end =
    job.finished_at ?? (formOptions.settled_statuses.includes(job.status) ? job.updated_at : now) ?? now;
  return end - (job.created_at ?? end);
}

/** For ordering: a record without a time (never written by the store) sorts last. */
export function createdAt(job: JobRecord): number {
  return job.created_at ?? 0;
}

/** "720p · 16:9 · 5 s · audio" in the UI language. */
export function settingsSummary(job: JobRecord, t: TFunction): string {
  const ratio = job.ratio === "adaptive" ? t("generate.ratioAdaptive") : job.ratio;
  const duration =
    job.duration === formOptions.duration_auto
      ? t("generate.durationAuto")
      : t("generate.seconds", { count: job.duration });
  const audio = job.request.generate_audio === false ? t("jobs.silent") : t("jobs.withAudio");
  return [job.resolution, ratio, duration, audio].join(" · ");
}

export function tokensText(job: JobRecord, t: TFunction): string | null {
  if (job.tokens_estimate == null) return null;
  return t("jobs.tokens", { tokens: groupThousands(job.tokens_estimate) });
}

/** 0..100, or null while the total is unknown. */
export function percent(done: number, total: number | null | undefined): number | null {
  if (total == null || total <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((done / total) * 100)));
}
