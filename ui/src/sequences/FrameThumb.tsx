import { ipc } from "../ipc";
import { useQuery } from "../query";

/** A small preview of a frame the backend handed out a handle for. */
export function FrameThumb({ handle, alt }: { handle: string; alt: string }) {
  const info = useQuery(() => ipc.inspectFrame(handle), [handle]);
  if (!info.data) return <span className="seq-thumb placeholder" aria-hidden="true" />;
  return <img className="seq-thumb" src={info.data.thumbnail_data_url} alt={alt} />;
}
