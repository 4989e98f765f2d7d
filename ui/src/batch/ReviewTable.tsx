/**
 * The review table: one row per item with its thumbnails, the prompt as it will be sent, its settings,
 * takes, output name, estimate and problems, and Skip / Fix. Virtualized (only rows on screen are in the
 * page), and thumbnails are asked for only for those rows; the backend caches them with the frame checks.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BatchReview, FixKind, FrameSlot, ItemThumbnails, ReviewItem, Settings } from "../bindings";
import { VirtualList } from "../components/VirtualList";
import { estimateParts } from "../generate/format";
import { messageText } from "../i18n";
import { ipc } from "../ipc";
import { settingsSummary } from "../presets/format";

export const ROW_HEIGHT = 96;
const TABLE_HEIGHT = 384;

interface Props {
  review: BatchReview;
  busy: boolean;
  onSkip: (index: number, skipped: boolean) => void;
  onFix: (index: number, slot: FrameSlot, fix: FixKind) => void;
}

/** Thumbnails by frame file, for the rows on screen; asked for again while checks are still running. */
function useThumbnails(review: BatchReview) {
  const [thumbs, setThumbs] = useState<Record<string, string>>({});
  const [range, setRange] = useState<[number, number]>([0, -1]);
  const known = useRef(thumbs);
  known.current = thumbs;
  const { id, items } = review;
  useEffect(() => {
    const [first, last] = range;
    const wanted: number[] = [];
    for (let i = first; i <= last && i < items.length; i++) {
      const row = items[i] as ReviewItem;
      const missing = [row.item.draft.first_frame, row.item.draft.last_frame].some(
        (path) => path != null && known.current[path] === undefined,
      );
      if (missing && row.frames.length > 0) wanted.push(row.item.index);
    }
    if (wanted.length === 0) return;
    let live = true;
    ipc.batchThumbnails(id, wanted).then(
      (answer: ItemThumbnails[]) => {
        if (!live) return;
        const next: Record<string, string> = {};
        for (const a of answer) {
          const row = items[a.index - 1];
          if (!row) continue;
          if (a.first && row.item.draft.first_frame) next[row.item.draft.first_frame] = a.first;
          if (a.last && row.item.draft.last_frame) next[row.item.draft.last_frame] = a.last;
        }
        if (Object.keys(next).length > 0) setThumbs((prev) => ({ ...prev, ...next }));
      },
      () => {
        /* a thumbnail is a nicety: the row still says what the frame is */
      },
    );
    return () => {
      live = false;
    };
  }, [id, items, range]);
  const onRange = useCallback((a: number, b: number) => setRange([a, b]), []);
  return { thumbs, onRange };
}

export function ReviewTable({ review, busy, onSkip, onFix }: Props) {
  const { t } = useTranslation();
  const { thumbs, onRange } = useThumbnails(review);
  return (
    <div className="batch-table" data-testid="batch-table">
      <div className="batch-row batch-head" aria-hidden="true">
        <span>#</span>
        <span>{t("batch.table.frames")}</span>
        <span>{t("batch.table.prompt")}</span>
        <span>{t("batch.table.settings")}</span>
        <span>{t("batch.table.estimate")}</span>
        <span>{t("batch.table.problems")}</span>
        <span />
      </div>
      <VirtualList
        items={review.items}
        rowHeight={ROW_HEIGHT}
        height={Math.min(TABLE_HEIGHT, Math.max(ROW_HEIGHT, review.items.length * ROW_HEIGHT))}
        rowKey={(row) => row.item.index}
        onRangeChange={onRange}
        ariaLabel={t("batch.table.label")}
        testId="batch-rows"
        renderRow={(row) => <Row row={row} thumbs={thumbs} busy={busy} onSkip={onSkip} onFix={onFix} />}
      />
    </div>
  );
}

function Row({
  row,
  thumbs,
  busy,
  onSkip,
  onFix,
}: {
  row: ReviewItem;
  thumbs: Record<string, string>;
  busy: boolean;
  onSkip: Props["onSkip"];
  onFix: Props["onFix"];
}) {
  const { t } = useTranslation();
  const { item } = row;
  const state = row.skipped ? "skipped" : item.excluded ? "excluded" : "included";
  const estimate = item.estimate ? estimateParts(item.estimate) : null;
  return (
    <div className={`batch-row ${state}`} data-testid={`batch-item-${item.index}`} data-state={state}>
      <span className="batch-index">{item.index}</span>
      <span className="batch-frames">
        {row.frames.length === 0 && <span className="small muted">{t("batch.table.noFrames")}</span>}
        {row.frames.map((f) => {
          const path = f.slot === "first" ? item.draft.first_frame : item.draft.last_frame;
          const url = path ? thumbs[path] : undefined;
          return (
            <span key={f.slot} className="batch-thumb" title={f.file_name}>
              {url ? (
                <img src={url} alt={t("batch.table.thumbAlt", { name: f.file_name })} />
              ) : (
                <span className="batch-thumb-empty small muted">
                  {f.pending ? t("batch.table.checking") : "—"}
                </span>
              )}
              <span className="batch-thumb-name small">{f.file_name}</span>
            </span>
          );
        })}
      </span>
      <span className="batch-prompt-cell" title={item.draft.prompt}>
        {item.draft.prompt || <span className="muted">{t("batch.table.noPrompt")}</span>}
        {item.output && (
          <span className="small muted batch-output">
            {t("batch.table.output")} {item.output}
          </span>
        )}
      </span>
      <span className="small">
        {settingsSummary(item.draft as Settings, t)}
        <br />
        {t("batch.table.takes", { count: item.takes })}
      </span>
      <span className="small" data-testid={`batch-estimate-${item.index}`}>
        {estimate ? (
          <>
            {t("generate.estimateTokens", { tokens: estimate.tokens })}
            {estimate.cost && <> · {estimate.cost}</>}
            {item.takes > 1 && <> × {item.takes}</>}
          </>
        ) : (
          <span className="muted">{t("generate.estimateUnavailable")}</span>
        )}
      </span>
      <ul className="batch-problems small" data-testid={`batch-problems-${item.index}`}>
        {item.problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
          <li key={i} className={p.blocking ? "problem blocking" : "problem warning"}>
            {messageText(t, p.msg)}
          </li>
        ))}
        {row.frames.map((f) => {
          if (!f.facts) return null;
          if (f.facts.state === "unusable") {
            return (
              <li key={f.slot} className="problem blocking">
                {f.file_name}: {messageText(t, f.facts.message)}
              </li>
            );
          }
          return f.facts.problems.map((p) => (
            <li key={`${f.slot}-${p.kind}`} className="problem blocking">
              {f.file_name}: {messageText(t, p.message)}{" "}
              {p.fix && (
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  data-testid={`batch-fix-${item.index}-${f.slot}`}
                  onClick={() => p.fix && onFix(item.index, f.slot, p.fix)}
                >
                  {t("generate.fix")}
                </button>
              )}
            </li>
          ));
        })}
        {row.mismatch && (
          <li className="problem warning">
            {messageText(t, row.mismatch.message)}{" "}
            {row.mismatch.suggested_crop_ratio != null && (
              <button
                type="button"
                className="link"
                disabled={busy}
                data-testid={`batch-crop-${item.index}`}
                onClick={() =>
                  row.mismatch?.suggested_crop_ratio != null &&
                  onFix(item.index, "last", {
                    type: "crop_to_ratio",
                    ratio: row.mismatch.suggested_crop_ratio,
                  })
                }
              >
                {t("generate.cropToMatch")}
              </button>
            )}
          </li>
        )}
      </ul>
      <span>
        <label className="small batch-skip">
          <input
            type="checkbox"
            checked={row.skipped}
            disabled={busy}
            data-testid={`batch-skip-${item.index}`}
            onChange={(e) => onSkip(item.index, e.target.checked)}
          />{" "}
          {t("batch.table.skip")}
        </label>
      </span>
    </div>
  );
}
