/**
 * The Batch screen: pick a source, review every item, confirm once, start. The backend reads the source
 * and keeps it as a draft with the user's edits; this screen shows the review it plans, sends the edits,
 * and starts the draft by its id (the plan that runs is the backend's, the one shown).
 */
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { BatchList } from "../batch/BatchList";
import { BatchProblems } from "../batch/BatchProblems";
import { DefaultsPanel } from "../batch/DefaultsPanel";
import { ReviewTable } from "../batch/ReviewTable";
import { DEFAULT_RULE, SourcePicker } from "../batch/SourcePicker";
import { TotalBar } from "../batch/TotalBar";
import { useBatchDraft } from "../batch/useBatchDraft";
import type {
  BatchDefaults,
  BatchRecord,
  DraftSettings,
  FixKind,
  FrameSlot,
  Message,
  PairRule,
  RequestDraft,
  SpendQuestion,
} from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { completeSettings, defaultSettings } from "../generate/options";
import { detailsOf, type PendingSpend } from "../generate/useGuardedSubmit";
import { messageText } from "../i18n";
import { type IpcError, ipc } from "../ipc";
import { usePresets } from "../presets/PresetsContext";

/** The Generate form handed to the Batch screen ("Batch of this form…"); `seq` makes each hand-over count. */
export interface FormHandover {
  draft: RequestDraft;
  seq: number;
}

interface Props {
  form?: FormHandover | null;
  /** False while another screen is shown: drops belong to the screen in front. */
  active?: boolean;
  /** False without a token outside demo mode: nothing can be started. */
  canStart?: boolean;
  onOpenJobs?: () => void;
}

/** How long typing in the batch's prompt or takes waits before the review is planned again. */
export const DEFAULTS_DEBOUNCE_MS = 250;

export function BatchView({ form = null, active = true, canStart = true, onOpenJobs }: Props) {
  const { t } = useTranslation();
  const { review, error, busy, run, clear } = useBatchDraft();
  const { presets } = usePresets();
  const [rule, setRule] = useState<PairRule>(DEFAULT_RULE);
  const [formTakes, setFormTakes] = useState(4);
  const [prompt, setPrompt] = useState("");
  const [takes, setTakes] = useState(1);
  const [preset, setPreset] = useState<string | null>(null);
  const [settings, setSettings] = useState<DraftSettings>(defaultSettings);
  const [name, setName] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [repeat, setRepeat] = useState<Message | null>(null);
  const [spend, setSpend] = useState<Pick<PendingSpend, "question" | "error"> | null>(null);
  /** What the user said yes to in the questions of this start so far. */
  const answered = useRef({ repeat: false, spend: false });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<IpcError | null>(null);
  const [started, setStarted] = useState<{ record: BatchRecord; videos: number } | null>(null);
  const inFlight = useRef(false);

  const defaults: BatchDefaults = { prompt, settings, preset, takes };
  const defaultsKey = JSON.stringify(defaults);
  const defaultsRef = useRef(defaults);
  defaultsRef.current = defaults;
  /** The defaults the current review was planned with, so only a real edit re-plans. */
  const planned = useRef<string | null>(null);

  const opened = useCallback(
    async (call: () => Promise<unknown>) => {
      setStarted(null);
      setStartError(null);
      planned.current = JSON.stringify(defaultsRef.current);
      await run(call as () => Promise<never>);
    },
    [run],
  );

  const reviewId = review?.id;
  const reviewName = review?.name;
  // A new source suggests its own name.
  useEffect(() => {
    if (reviewId && reviewName) setName(reviewName);
  }, [reviewId, reviewName]);

  // The batch's defaults changed: plan again (debounced while typing).
  useEffect(() => {
    if (!reviewId || planned.current === defaultsKey) return;
    const timer = setTimeout(() => {
      planned.current = defaultsKey;
      void run(() => ipc.batchSetDefaults(reviewId, JSON.parse(defaultsKey) as BatchDefaults));
    }, DEFAULTS_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [reviewId, defaultsKey, run]);

  // The Generate form handed over: its settings become the batch's, and it becomes the source × N takes.
  const formSeq = form?.seq;
  const formRef = useRef(form);
  formRef.current = form;
  useEffect(() => {
    const handed = formRef.current;
    if (formSeq === undefined || !handed) return;
    setSettings(completeSettings(handed.draft));
    setPreset(null);
  }, [formSeq]);

  const fromForm = useCallback(() => {
    const handed = formRef.current;
    if (!handed) return;
    void opened(() => ipc.batchFromForm(handed.draft, formTakes, defaultsRef.current));
  }, [formTakes, opened]);

  const pickImages = () => void opened(() => ipc.batchPickImages(t("generate.imageFilter"), defaults));
  const pickFolder = () => void opened(() => ipc.batchPickFolder(rule, defaults));
  const pickFile = () => void opened(() => ipc.batchPickFile(t("batch.sources.fileFilter"), defaults));

  // Editing the rule of a folder already read reads it again (debounced while typing an ending).
  const folderId = review?.source.kind === "folder" ? review.id : null;
  const ruleKey = JSON.stringify(rule);
  const ruleRead = useRef<string | null>(null);
  useEffect(() => {
    if (review?.source.kind === "folder") ruleRead.current = JSON.stringify(review.source.rule);
  }, [review]);
  useEffect(() => {
    if (!folderId || ruleRead.current === ruleKey) return;
    const timer = setTimeout(() => {
      ruleRead.current = ruleKey;
      void run(() => ipc.batchSetPairRule(folderId, JSON.parse(ruleKey) as PairRule));
    }, DEFAULTS_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [folderId, ruleKey, run]);

  // Images dropped on this screen become a batch of first frames.
  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => {
    if (!active) return;
    let unlisten: (() => void) | undefined;
    let gone = false;
    try {
      getCurrentWebview()
        .onDragDropEvent((event) => {
          const payload = event.payload as { type: string; paths?: string[] };
          if (!activeRef.current || payload.type !== "drop" || !payload.paths?.length) return;
          const paths = payload.paths;
          void opened(() => ipc.batchFromDrop(paths, defaultsRef.current));
        })
        .then((stop) => {
          if (gone) stop();
          else unlisten = stop;
        })
        .catch(() => undefined);
    } catch {
      // Outside the desktop shell (a plain browser preview) there is no OS drag and drop to listen to.
    }
    return () => {
      gone = true;
      unlisten?.();
    };
  }, [active, opened]);

  const skip = useCallback(
    (index: number, skipped: boolean) => {
      if (reviewId) void run(() => ipc.batchSkipItem(reviewId, index, skipped));
    },
    [reviewId, run],
  );
  const fix = useCallback(
    (index: number, slot: FrameSlot, kind: FixKind) => {
      if (reviewId) void run(() => ipc.batchFixFrame(reviewId, index, slot, kind));
    },
    [reviewId, run],
  );

  /**
   * One start at a time: the guard is a ref, set before React re-renders the button as disabled. The answers
   * already given (a repeat, passing a spend limit) go with every later try, so a yes is never asked twice.
   */
  const start = (answers: { repeat: boolean; spend: boolean }) => {
    if (inFlight.current || !reviewId || !review) return;
    const videos = review.total.jobs;
    inFlight.current = true;
    setStarting(true);
    setStartError(null);
    ipc.batchStart(reviewId, name, answers.repeat, answers.spend).then(
      (record) => {
        inFlight.current = false;
        setStarting(false);
        setConfirming(false);
        setRepeat(null);
        setSpend(null);
        setStarted({ record, videos });
        clear();
      },
      (e: IpcError) => {
        inFlight.current = false;
        setStarting(false);
        setConfirming(false);
        setRepeat(null);
        setSpend(null);
        answered.current = answers;
        if (e.kind === "batch_duplicate") {
          setRepeat(e.message);
        } else if (e.kind === "spend_limit") {
          setSpend({ question: detailsOf<SpendQuestion>(e), error: e });
        } else {
          setStartError(e);
        }
      },
    );
  };

  return (
    <div className="batch-view" data-testid="batch-view" data-review-id={review?.id}>
      <h1>{t("batch.title")}</h1>
      <SourcePicker
        rule={rule}
        onRuleChange={setRule}
        formTakes={formTakes}
        onFormTakesChange={setFormTakes}
        hasForm={form !== null}
        busy={busy || starting}
        onImages={pickImages}
        onFolder={pickFolder}
        onFile={pickFile}
        onForm={fromForm}
      />
      {error && (
        <div data-testid="batch-error">
          <ErrorNotice error={error} />
        </div>
      )}
      {started && (
        <div className="batch-started" data-testid="batch-started" role="status">
          <p>
            {t("batch.started", {
              name: started.record.name,
              count: started.videos,
            })}
          </p>
          {onOpenJobs && (
            <button type="button" onClick={onOpenJobs}>
              {t("batch.openJobs")}
            </button>
          )}
        </div>
      )}
      {review && (
        <>
          <p className="small muted" data-testid="batch-source-label">
            {t("batch.sourceLabel", { source: messageText(t, review.label), count: review.items.length })}
          </p>
          <DefaultsPanel
            prompt={prompt}
            onPrompt={setPrompt}
            takes={takes}
            onTakes={setTakes}
            preset={preset}
            onPreset={setPreset}
            presets={presets ?? []}
            name={name}
            onName={setName}
            placeholders={review.placeholders}
          />
          <BatchProblems problems={review.problems} />
          <ReviewTable review={review} busy={busy || starting} onSkip={skip} onFix={fix} />
          {!canStart && <p className="small muted">{t("generate.needsToken")}</p>}
          <TotalBar
            total={review.total}
            canStart={canStart && review.can_start}
            checksPending={review.checks_pending}
            starting={starting}
            confirming={confirming}
            repeat={repeat}
            spend={spend}
            onAsk={() => {
              setStartError(null);
              setConfirming(true);
            }}
            onConfirm={() => start({ repeat: false, spend: false })}
            onRepeat={() => start({ ...answered.current, repeat: true })}
            onSpend={() => start({ ...answered.current, spend: true })}
            onCancel={() => {
              setConfirming(false);
              setRepeat(null);
              setSpend(null);
            }}
          />
          {startError && (
            <div data-testid="batch-start-error">
              <ErrorNotice error={startError} />
            </div>
          )}
        </>
      )}
      {/* Running and finished batches, newest first: below the review, so a long list never pushes it down. */}
      <BatchList />
    </div>
  );
}
