import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { applyAppearance } from "./appearance";
import { commands } from "./bindings";
import { Sidebar, type View } from "./components/Sidebar";
import { unwrap } from "./ipc";
import { SessionProvider, useSession } from "./session";
import { GenerateView } from "./views/GenerateView";
import { JobsView } from "./views/JobsView";
import { SettingsView } from "./views/SettingsView";
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
  const { session } = useSession();
  const [view, setView] = useState<View>("generate");

  useEffect(() => {
    unwrap(commands.getPreferences()).then(
      (v) => applyAppearance(v.prefs, i18n),
      () => {
        /* the Settings screen shows the error; the UI keeps its defaults */
      },
    );
  }, [i18n]);

  const welcome = session?.needs_setup && view === "generate";
  return (
    <div className="app">
      <Sidebar current={view} onSelect={setView} />
      <main className="content" aria-live="polite">
        {welcome && <WelcomeView />}
        {!welcome && view === "generate" && <GenerateView />}
        {view === "jobs" && <JobsView />}
        {view === "settings" && <SettingsView />}
      </main>
    </div>
  );
}
