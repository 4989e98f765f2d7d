import { emit } from "@tauri-apps/api/event";
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { UpdateStatus } from "../bindings";
import { mockBackend, NO_UPDATE } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { UpdateHint } from "./UpdateHint";

const OFFERED: UpdateStatus = {
  ...NO_UPDATE,
  offer: { version: "0.2.0", current_version: "0.1.0", notes: null, date: null },
};

describe("the update hint under the navigation", () => {
  it("appears when the check on start finds a version, and leads to Settings", async () => {
    let status = NO_UPDATE;
    const calls = mockBackend({ update_status: () => status });
    const open = vi.fn();
    renderWithI18n(<UpdateHint onOpen={open} />);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "update_status")).toHaveLength(1));
    expect(screen.queryByTestId("update-hint")).toBeNull();
    status = OFFERED;
    await act(() => emit("update-available", OFFERED.offer));
    await waitFor(() =>
      expect(screen.getByTestId("update-hint").textContent).toBe("Version 0.2.0 is available"),
    );
    fireEvent.click(screen.getByTestId("update-hint"));
    expect(open).toHaveBeenCalledTimes(1);
  });
});
