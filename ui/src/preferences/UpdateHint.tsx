/**
 * A line under the navigation when a newer version is on offer (found by the check on start, or by "Check
 * now"), leading to Settings → Updates, where it is installed. Nothing while there is none.
 */
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { events } from "../bindings";
import { ipc } from "../ipc";
import { subscribe } from "../jobs/api";
import { useQuery } from "../query";

export function UpdateHint({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const status = useQuery(() => ipc.updateStatus(), []);
  const { reload } = status;
  // The check on start may answer after the window opened.
  useEffect(() => subscribe(events.updateAvailable.listen, () => void reload()), [reload]);
  const offer = status.data?.offer;
  if (!offer) return null;
  return (
    <button type="button" className="link small update-hint" data-testid="update-hint" onClick={onOpen}>
      {t("settings.updates.hint", { version: offer.version })}
    </button>
  );
}
