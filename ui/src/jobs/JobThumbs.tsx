import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ipc } from "../ipc";
import { useQuery } from "../query";
import type { JobRecord, JobThumbnails } from "./api";
import { cachedThumbs, rememberThumbs } from "./thumbCache";

/**
 * The job's result poster (a finished video's middle frame, made once by the backend) and its input frame
 * thumbnails, fetched only when the row scrolls into view: a page of records carries no image data, so long
 * lists stay light.
 */
export function JobThumbs({ job }: { job: JobRecord }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const wanted = job.has_first_thumb || job.has_last_thumb;
  // Carried by the record, or fetched when this job's row was on screen before (and scrolled out).
  const [carried] = useState<JobThumbnails | null>(() =>
    job.first_thumb || job.last_thumb
      ? { first: job.first_thumb, last: job.last_thumb }
      : cachedThumbs(job.id),
  );
  const [visible, setVisible] = useState(false);
  // A missing thumbnail is not worth an error: the placeholder stays.
  const fetched = useQuery(visible && !carried ? () => ipc.jobThumbnails(job.id) : null, [
    visible,
    carried,
    job.id,
  ]);
  const thumbs = carried ?? fetched.data;
  const hasResult = job.status === "done" && job.output_path != null;
  // A poster that cannot be made (the file is gone) is not worth an error either: the row says so elsewhere.
  const poster = useQuery(visible && hasResult ? () => ipc.jobPoster(job.id) : null, [
    visible,
    hasResult,
    job.id,
  ]).data;
  useEffect(() => {
    if (fetched.data) rememberThumbs(job.id, fetched.data);
  }, [fetched.data, job.id]);

  useEffect(() => {
    const el = ref.current;
    const needed = (wanted && !thumbs) || (hasResult && !poster);
    if (!needed || !el) return;
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
  }, [wanted, thumbs, hasResult, poster]);

  return (
    <div className="job-thumbs" ref={ref} aria-hidden={!thumbs && !poster}>
      {poster && (
        <img className="job-poster" src={poster} alt={t("jobs.posterAlt")} data-testid="thumb-poster" />
      )}
      {thumbs?.first ? (
        <img src={thumbs.first} alt={t("jobs.firstThumb")} data-testid="thumb-first" />
      ) : poster ? null : (
        // A text-to-video job has no frame: say so instead of showing an empty box.
        <div
          className="thumb-placeholder"
          data-testid="thumb-text"
          title={wanted ? undefined : t("jobs.textOnly")}
        >
          {!wanted && <span aria-hidden="true">T</span>}
        </div>
      )}
      {thumbs?.last && <img src={thumbs.last} alt={t("jobs.lastThumb")} data-testid="thumb-last" />}
    </div>
  );
}
