import { useTranslation } from "react-i18next";
import { ipc } from "../ipc";
import { useQuery } from "../query";

/** A small preview of a frame the backend handed out a handle for. */
export function FrameThumb({ handle, alt }: { handle: string; alt: string }) {
  const info = useQuery(() => ipc.inspectFrame(handle), [handle]);
  if (!info.data) return <span className="seq-thumb placeholder" aria-hidden="true" />;
  return <img className="seq-thumb" src={info.data.thumbnail_data_url} alt={alt} />;
}

/** A finished take's poster: a frame of its video, made once by the backend. Nothing while it loads or fails. */
export function TakePoster({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const poster = useQuery(() => ipc.jobPoster(jobId), [jobId]);
  if (!poster.data) return null;
  return <img className="seq-thumb" data-testid="seq-poster" src={poster.data} alt={t("sequences.poster")} />;
}
