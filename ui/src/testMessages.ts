import type { Message } from "./bindings";

/**
 * A backend message with fixed English and Chinese words (the catalog's `msg.text`), for tests that stand in
 * for the backend: what they check is that the words reach the screen in the right language.
 */
export function verbatim(en: string, zh: string): Message {
  return { key: "msg.text", args: { en, zh } };
}
