import { emit } from "@tauri-apps/api/event";
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Prefs } from "../appearance";
import type { UpdateOffer, UpdateStatus } from "../bindings";
import { mockBackend, NO_UPDATE, PREFS } from "../test-ipc";
import { renderWithI18n } from "../test-utils";
import { verbatim } from "../testMessages";
import { UpdatesSection } from "./UpdatesSection";

const OFFER: UpdateOffer = {
  version: "0.2.0",
  current_version: "0.1.0",
  notes: "Faster previews.\n<b>bold</b><img src=x onerror=alert(1)>",
  date: "2026-12-01T10:00:00Z",
};

const DRAFT = PREFS.prefs as Prefs;

function offered(over: Partial<UpdateStatus> = {}): UpdateStatus {
  return { ...NO_UPDATE, offer: OFFER, ...over };
}

describe("Settings → Updates", () => {
  it("turns the check on start off in the form", () => {
    mockBackend();
    const set = vi.fn();
    renderWithI18n(<UpdatesSection draft={DRAFT} set={set} />);
    const toggle = screen.getByTestId("update-on-start") as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    expect(set).toHaveBeenCalledWith("check_for_updates", false);
  });

  it("says the version is the latest when a check finds nothing", async () => {
    const calls = mockBackend({ check_for_update: () => null });
    renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />);
    fireEvent.click(screen.getByTestId("update-check"));
    await waitFor(() => expect(screen.getByTestId("update-none").textContent).toContain("latest version"));
    expect(calls.filter((c) => c.cmd === "check_for_update")).toHaveLength(1);
    expect(screen.queryByTestId("update-offer")).toBeNull();
  });

  it("shows a failed check's reason when the user asked", async () => {
    mockBackend({
      check_for_update: () => {
        throw {
          kind: "update_unreachable",
          message: verbatim("Could not reach the update server.", "无法连接更新服务器。"),
          details: null,
          cause: "connection refused",
        };
      },
    });
    renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />);
    fireEvent.click(screen.getByTestId("update-check"));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toContain("Could not reach the update server"),
    );
    expect(screen.queryByTestId("update-none")).toBeNull();
  });

  it("shows the offered version and its notes as plain text, never as HTML", async () => {
    let status = NO_UPDATE;
    mockBackend({
      update_status: () => status,
      check_for_update: () => {
        status = offered();
        return OFFER;
      },
    });
    const { container } = renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />);
    fireEvent.click(screen.getByTestId("update-check"));
    await waitFor(() => expect(screen.getByTestId("update-offer")).toBeTruthy());
    expect(screen.getByTestId("update-offer").textContent).toContain(
      "Version 0.2.0 is available (you have 0.1.0)",
    );
    const notes = screen.getByTestId("update-notes");
    expect(notes.textContent).toBe(OFFER.notes);
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(screen.getByTestId("update-offer").textContent).toContain("resume after the relaunch");
  });

  it("shows an update the check on start found while the screen is open", async () => {
    let status = NO_UPDATE;
    mockBackend({ update_status: () => status });
    renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />);
    await waitFor(() => expect(screen.getByTestId("update-check")).toBeTruthy());
    expect(screen.queryByTestId("update-offer")).toBeNull();
    status = offered();
    await act(() => emit("update-available", OFFER));
    await waitFor(() => expect(screen.getByTestId("update-offer")).toBeTruthy());
  });

  it("keeps install disabled, with the reason, while a job uploads or sends its create", async () => {
    let status = offered({ sending: { uploading: 0, creating: 1 } });
    const calls = mockBackend({ update_status: () => status });
    renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />);
    await waitFor(() => expect(screen.getByTestId("update-busy")).toBeTruthy());
    const button = screen.getByTestId("update-install") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(screen.getByTestId("update-busy").textContent).toContain("sending: 1");
    fireEvent.click(button);
    expect(calls.filter((c) => c.cmd === "install_update")).toHaveLength(0);

    // Re-asked while on offer: once the create's answer is in, the button is free.
    status = offered();
    await waitFor(
      () => expect((screen.getByTestId("update-install") as HTMLButtonElement).disabled).toBe(false),
      {
        timeout: 4000,
      },
    );
    expect(screen.queryByTestId("update-busy")).toBeNull();
  });

  it("downloads with progress, then offers the relaunch", async () => {
    let status = offered();
    let finish: () => void = () => undefined;
    const calls = mockBackend({
      update_status: () => status,
      install_update: () =>
        new Promise((resolve) => {
          finish = () => {
            status = offered({ installed: true });
            resolve(null);
          };
        }),
      relaunch_app: () => null,
    });
    renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />);
    await waitFor(() => expect(screen.getByTestId("update-install")).toBeTruthy());
    fireEvent.click(screen.getByTestId("update-install"));
    await waitFor(() => expect(screen.getByTestId("update-progress")).toBeTruthy());
    await act(() => emit("update-progress", { done: 2_500_000, total: 10_000_000 }));
    const bar = screen.getByTestId("update-progress");
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect(bar.parentElement?.textContent).toContain("2.5 MB of 10.0 MB");

    await act(async () => finish());
    await waitFor(() => expect(screen.getByTestId("update-relaunch")).toBeTruthy());
    expect(screen.getByTestId("update-installed").textContent).toContain("Relaunch");
    fireEvent.click(screen.getByTestId("update-relaunch"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "relaunch_app")).toHaveLength(1));
  });

  it("shows why an install was refused, in Chinese too", async () => {
    mockBackend({
      update_status: () => offered(),
      install_update: () => {
        throw {
          kind: "update_bad_signature",
          message: { key: "msg.update.bad_signature", args: { url: "https://example.com/releases" } },
          details: null,
          cause: "Verification failed",
        };
      },
    });
    renderWithI18n(<UpdatesSection draft={DRAFT} set={vi.fn()} />, "zh-CN");
    await waitFor(() => expect(screen.getByTestId("update-install")).toBeTruthy());
    fireEvent.click(screen.getByTestId("update-install"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("签名不正确"));
    expect(screen.getByTestId("update-offer").textContent).toContain("下载并安装");
  });
});
