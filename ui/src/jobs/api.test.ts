import { describe, expect, it } from "vitest";
import { subscribe } from "./api";

/** A listen function whose unlisten behaves as `unlisten` says, and which can emit events. */
function fakeListen<T>(unlisten: () => unknown) {
  let handler: ((e: { payload: T }) => void) | null = null;
  const listen = (cb: (e: { payload: T }) => void) => {
    handler = cb;
    return Promise.resolve(unlisten as () => void);
  };
  return { listen, emit: (payload: T) => handler?.({ payload }) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("subscribe", () => {
  it("stops delivering events once unsubscribed", async () => {
    const seen: number[] = [];
    const fake = fakeListen<number>(() => undefined);
    const stop = subscribe(fake.listen, (n) => seen.push(n));
    await settle();
    fake.emit(1);
    stop();
    fake.emit(2);
    expect(seen).toEqual([1]);
  });

  it("swallows an unlisten that rejects (Tauri's is asynchronous)", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const fake = fakeListen<number>(() =>
        Promise.reject(new TypeError("unregisterListener is not a function")),
      );
      const stop = subscribe(fake.listen, () => undefined);
      await settle();
      stop();
      await settle();
      await settle();
      expect(rejections).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });

  it("swallows an unlisten that throws, also when unsubscribed before the subscription finished", async () => {
    const fake = fakeListen<number>(() => {
      throw new Error("the window is gone");
    });
    const early = subscribe(fake.listen, () => undefined);
    expect(() => early()).not.toThrow();
    await settle();
    const late = subscribe(fake.listen, () => undefined);
    await settle();
    expect(() => late()).not.toThrow();
  });
});
