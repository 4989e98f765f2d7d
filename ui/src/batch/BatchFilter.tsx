import { useTranslation } from "react-i18next";
import { ipc } from "../ipc";
import { useQuery } from "../query";

/**
 * The Jobs screen's batch select: all jobs, or one batch's. Shown only when there are batches (or a batch is
 * already chosen), so a history without batches keeps its toolbar as it was.
 */
export function BatchFilter({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const batches = useQuery(() => ipc.listBatches(), []);
  const list = batches.data ?? [];
  if (list.length === 0 && value === null) return null;
  const known = list.some((b) => b.batch.id === value);
  return (
    <label className="field-inline">
      <span>{t("batchRun.filter")}</span>
      <select data-testid="jobs-batch" value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t("batchRun.allBatches")}</option>
        {value !== null && !known && <option value={value}>…</option>}
        {list.map((b) => (
          <option key={b.batch.id} value={b.batch.id}>
            {b.batch.name}
          </option>
        ))}
      </select>
    </label>
  );
}
