import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { applyAppearance } from "./appearance";
import type { RequestDraft } from "./bindings";
import { ErrorNotice } from "./components/ErrorNotice";
import { Sidebar, type View } from "./components/Sidebar";
import { ipc } from "./ipc";
import { type GenerateLoad, JobsProvider, useJobs } from "./jobs/JobsContext";
import { UnsentNotice } from "./jobs/UnsentNotice";
import { PresetsProvider } from "./presets/PresetsContext";
import { SessionProvider, useSession } from "./session";
import { BatchView, type FormHandover } from "./views/BatchView";
import { GenerateView } from "./views/GenerateView";
import { JobsView } from "./views/JobsView";
import { PreferencesView } from "./views/PreferencesView";
import { PresetsView } from "./views/PresetsView";
import { SequencesView } from "./views/SequencesView";
import { WelcomeView } from "./views/WelcomeView";

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { i18n } = useTranslation();
  const [view, setView] = useState<View>("generate");
  const [load, setLoad] = useState<GenerateLoad | null>(null);
  const [batchForm, setBatchForm] = useState<FormHandover | null>(null);

  useEffect(() => {
    ipc.getPreferences().then(
      (v) => applyAppearance(v.prefs, i18n),
      () => {
        /* the Settings screen shows the error; the UI keeps its defaults */
      },
    );
  }, [i18n]);

  // The batch whose jobs the Jobs screen shows when it opens (a batch card's "Show jobs").
  const [jobsBatch, setJobsBatch] = useState<string | null>(null);
  const openJobs = useCallback((batch?: string) => {
    setJobsBatch(batch ?? null);
    setView("jobs");
  }, []);
  const openAllJobs = useCallback(() => openJobs(), [openJobs]);
  const select = useCallback((next: View) => {
    setJobsBatch(null);
    setView(next);
  }, []);
  const loadIntoGenerate = useCallback((next: Omit<GenerateLoad, "seq">) => {
    setLoad((prev) => ({ ...next, seq: (prev?.seq ?? 0) + 1 }));
    setView("generate");
  }, []);

  const openBatch = useCallback((draft: RequestDraft) => {
    setBatchForm((prev) => ({ draft, seq: (prev?.seq ?? 0) + 1 }));
    setView("batch");
  }, []);

  return (
    <JobsProvider onOpenJobs={openJobs} onLoad={loadIntoGenerate}>
      <PresetsProvider>
        <div className="app">
          <Sidebar current={view} onSelect={select} />
          <main className="content" aria-live="polite">
            <StoreProblem />
            <UnsentNotice onReview={openAllJobs} />
            <Screen
              view={view}
              load={load}
              batchForm={batchForm}
              onOpenBatch={openBatch}
              onOpenJobs={openAllJobs}
              jobsBatch={jobsBatch}
            />
          </main>
        </div>
      </PresetsProvider>
    </JobsProvider>
  );
}

/** The job database could not be opened: say so on every screen, since history is not being kept. */
function StoreProblem() {
  const { t } = useTranslation();
  const { session } = useSession();
  if (!session?.store_problem) return null;
  return (
    <div className="store-problem" data-testid="store-problem">
      <strong>{t("error.storeTitle")}</strong> <ErrorNotice error={session.store_problem} />
    </div>
  );
}

function Screen({
  view,
  load,
  batchForm,
  onOpenBatch,
  onOpenJobs,
  jobsBatch,
}: {
  view: View;
  load: GenerateLoad | null;
  batchForm: FormHandover | null;
  onOpenBatch: (draft: RequestDraft) => void;
  onOpenJobs: () => void;
  jobsBatch: string | null;
}) {
  const { session } = useSession();
  const jobs = useJobs();
  const canSubmit = session !== null && (session.demo || session.token.set);
  const noHistory = session !== null && !session.demo && session.store_problem !== null;
  const submit = useCallback(
    (draft: RequestDraft, tokensEstimate: number | null, intended: boolean, spendConfirmed: boolean) =>
      jobs?.submit(draft, tokensEstimate, intended, spendConfirmed),
    [jobs],
  );

  const welcome = session?.needs_setup && view === "generate";
  // Generate stays mounted behind the other screens so a half-written prompt survives a look at Jobs.
  return (
    <>
      {welcome && <WelcomeView />}
      {!welcome && (
        <div className="view-keeper" hidden={view !== "generate"}>
          <GenerateView
            canSubmit={canSubmit}
            noHistory={noHistory}
            onSubmit={submit}
            load={load}
            active={view === "generate"}
            restoreOnStart
            onBatch={onOpenBatch}
          />
        </div>
      )}
      {/* Kept mounted like Generate: a review being read survives a look at another screen. */}
      <div className="view-keeper" hidden={view !== "batch"}>
        <BatchView form={batchForm} active={view === "batch"} canStart={canSubmit} onOpenJobs={onOpenJobs} />
      </div>
      {view === "jobs" && <JobsView key={jobsBatch ?? ""} batch={jobsBatch} />}
      {view === "sequences" && <SequencesView />}
      {view === "presets" && <PresetsView />}
      {view === "settings" && <PreferencesView />}
    </>
  );
}
