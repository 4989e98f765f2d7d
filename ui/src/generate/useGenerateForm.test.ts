import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FrameInfo } from "../bindings";
import { mockBackend } from "../test-ipc";
import { frameInfo, okCheck } from "./testBackend";
import { useGenerateForm } from "./useGenerateForm";

/** inspect_frame answers each handle only when the test says so, to answer reads out of order. */
function slowFrames() {
  const waiting = new Map<string, (info: FrameInfo) => void>();
  mockBackend({
    check_request: ({ draft }) => okCheck(draft as never),
    inspect_frame: ({ handle }) =>
      new Promise<FrameInfo>((resolve) => waiting.set(handle as string, resolve)),
  });
  return async (handle: string, width = 1920, height = 1080) => {
    await act(async () => waiting.get(handle)?.(frameInfo(handle, width, height)));
  };
}

describe("useGenerateForm: a slot shows the frame of the user's last action on it", () => {
  it("keeps the newer frame when an older read of the same slot answers last", async () => {
    const answer = slowFrames();
    const { result } = renderHook(() => useGenerateForm());
    act(() => {
      void result.current.inspect("first", "older.png");
      void result.current.inspect("first", "newer.png");
    });
    await answer("newer.png");
    await answer("older.png");
    expect(result.current.slots.first.info?.handle).toBe("newer.png");
    expect(result.current.slots.first.loading).toBe(false);
  });

  it("leaves a cleared slot empty when its read answers afterwards", async () => {
    const answer = slowFrames();
    const { result } = renderHook(() => useGenerateForm());
    act(() => {
      void result.current.inspect("last", "late.png");
    });
    act(() => result.current.clear("last"));
    await answer("late.png");
    expect(result.current.slots.last.info).toBeNull();
  });

  it("a read of one slot does not cancel a read of the other", async () => {
    const answer = slowFrames();
    const { result } = renderHook(() => useGenerateForm());
    act(() => {
      void result.current.inspect("first", "a.png");
      void result.current.inspect("last", "b.png");
    });
    await answer("a.png");
    await answer("b.png");
    expect(result.current.slots.first.info?.handle).toBe("a.png");
    expect(result.current.slots.last.info?.handle).toBe("b.png");
  });
});
