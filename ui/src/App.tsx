import { useState } from "react";
import { Sidebar, type View } from "./components/Sidebar";
import { GenerateView } from "./views/GenerateView";
import { JobsView } from "./views/JobsView";
import { SettingsView } from "./views/SettingsView";

export function App() {
  const [view, setView] = useState<View>("generate");
  return (
    <div className="app">
      <Sidebar current={view} onSelect={setView} />
      <main className="content" aria-live="polite">
        {view === "generate" && <GenerateView />}
        {view === "jobs" && <JobsView />}
        {view === "settings" && <SettingsView />}
      </main>
    </div>
  );
}
