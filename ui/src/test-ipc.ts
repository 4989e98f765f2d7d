import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppInfo, PrefsView, Session, SpendSummary, UnsentSummary, UpdateStatus } from "./bindings";

export const INFO: AppInfo = {
  version: "0.1.0",
  commit: "abc123def456",
  data_dir: "/home/me/.local/share/seedance",
  api_base: "https://api.sinancode.com/",
  upload_base: "https://files-api.sinancode.com/",
  test_hooks: false,
};

export function session(over: Partial<Session> = {}): Session {
  return {
    demo: false,
    needs_setup: false,
    store_problem: null,
    token: {
      set: true,
      last4: "abcd",
      source: "keychain",
      from_environment: false,
      bound_hosts: [],
      keychain_error: null,
    },
    ...over,
  };
}

export const PREFS: PrefsView = {
  output_dir: "/home/me/Videos/Seedance Studio",
  warning: null,
  prefs: {
    output_dir: null,
    file_name_pattern: "{date}_{time}_{prompt}",
    upload_region: "global",
    api_base: null,
    cost_rates: { per_million_with_audio: 2.4, per_million_without_audio: 1.2, currency: "CNY" },
    language: "en",
    theme: "system",
    notifications: true,
    max_concurrent_jobs: 3,
    hold_unsent_after_hours: 6,
    spend_limits: { per_batch: null, per_day: null, per_month: null },
    check_for_updates: true,
    last_request: null,
  },
};

export const NO_UNSENT: UnsentSummary = {
  count: 0,
  tokens: 0,
  cost: 0,
  currency: "CNY",
  without_estimate: 0,
  oldest_created_at: null,
};

const NOTHING = { tokens: 0, cost: 0, jobs: 0 };

/** A history with no spend and no limits. */
export const NO_SPEND: SpendSummary = {
  today: NOTHING,
  week: NOTHING,
  month: NOTHING,
  pending: NOTHING,
  batches: [],
  currency: "CNY",
  periods: { day_start: 0, week_start: 0, month_start: 0 },
  limits: { per_batch: null, per_day: null, per_month: null },
};

/** No update on offer, nothing sending. */
export const NO_UPDATE: UpdateStatus = {
  offer: null,
  sending: { uploading: 0, creating: 0 },
  installing: false,
  installed: false,
};

export type Handler = (args: Record<string, unknown>) => unknown;

/**
 * Mocks the backend: the app's start-up commands answer with defaults unless a test overrides them. Events
 * are mocked too, so a test can `emit` what the backend would.
 */
export function mockBackend(overrides: Record<string, Handler> = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  const defaults: Record<string, Handler> = {
    app_info: () => INFO,
    get_session: () => session(),
    get_preferences: () => PREFS,
    list_jobs: () => ({ jobs: [], next: null }),
    list_presets: () => [],
    unsent_summary: () => NO_UNSENT,
    list_batches: () => [],
    spend_summary: () => NO_SPEND,
    update_status: () => NO_UPDATE,
  };
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      const handler = overrides[cmd] ?? defaults[cmd];
      if (!handler) throw new Error(`unexpected command ${cmd}`);
      return handler((args ?? {}) as Record<string, unknown>);
    },
    { shouldMockEvents: true },
  );
  return calls;
}
