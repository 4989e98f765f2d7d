import { type RefObject, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ipc } from "../ipc";
import { useQuery } from "../query";
import type { JobRecord } from "./api";

/**
 * The Jobs screen's results at a glance: one card per finished video, its poster (made once by the backend),
 * and the video itself playing, muted and looping, while the pointer rests on the card, for picking the best
 * of several takes without opening each.
 */
export function ResultsGrid({ jobs }: { jobs: readonly JobRecord[] }) {
  const { t } = useTranslation();
  const results = jobs.filter((j) => j.status === "done" && j.output_path != null);
  if (results.length === 0) {
    return (
      <p className="muted" data-testid="results-empty">
        {t("jobs.grid.empty")}
      </p>
    );
  }
  return (
    <ul className="results-grid" data-testid="results-grid" aria-label={t("jobs.grid.label")}>
      {results.map((job) => (
        <ResultCard key={job.id} job={job} />
      ))}
    </ul>
  );
}

function ResultCard({ job }: { job: JobRecord }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLLIElement>(null);
  const visible = useVisible(ref);
  const [hovered, setHovered] = useState(false);
  // Neither a missing poster nor a missing video is worth an error here: the list view says what is wrong.
  const poster = useQuery(visible ? () => ipc.jobPoster(job.id) : null, [visible, job.id]).data;
  const video = useQuery(hovered ? () => ipc.jobVideoUrl(job.id) : null, [hovered, job.id]).data;
  return (
    <li
      ref={ref}
      className="result-card"
      data-testid="result-card"
      data-job-id={job.id}
      title={job.prompt}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
    >
      <div className="result-picture">
        {poster && <img src={poster} alt={t("jobs.posterAlt")} data-testid="result-poster" />}
        {hovered && video && (
          <video
            src={video}
            crossOrigin="anonymous"
            autoPlay
            muted
            loop
            playsInline
            data-testid="result-preview"
          />
        )}
      </div>
      <p className="result-prompt small">{job.prompt || t("jobs.noPrompt")}</p>
    </li>
  );
}

/** Whether the element has come into view (once true, stays true); true at once where it cannot be told. */
function useVisible(ref: RefObject<HTMLElement | null>) {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (visible || !el) return;
    if (typeof IntersectionObserver === "undefined") {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, visible]);
  return visible;
}
