// A backend message ({ key, args }) as the window shows it, from the same catalogs, for tests that call a
// command directly and check what the user would read. Placeholders, nested messages and lists only: what the
// UI's messageText does with i18next (plural forms are not needed by these tests).
import { readFileSync } from "node:fs";

const catalogs = {
  en: JSON.parse(readFileSync(new URL("../../ui/src/i18n/en.json", import.meta.url), "utf8")),
  "zh-CN": JSON.parse(readFileSync(new URL("../../ui/src/i18n/zh-CN.json", import.meta.url), "utf8")),
};

export function messageText(message, language = "en") {
  const template = message.key.split(".").reduce((node, part) => node?.[part], catalogs[language]);
  if (typeof template !== "string") throw new Error(`no ${language} text for ${message.key}`);
  return template.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (hole, name) => {
    const arg = message.args[name];
    if (arg === undefined) throw new Error(`${message.key} has no value for ${hole}`);
    if (Array.isArray(arg)) return arg.map((m) => messageText(m, language)).join("\n");
    if (arg !== null && typeof arg === "object") return messageText(arg, language);
    return String(arg ?? "");
  });
}
