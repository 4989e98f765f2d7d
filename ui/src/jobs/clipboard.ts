import { writeText } from "@tauri-apps/plugin-clipboard-manager";

/** The one place that writes to the clipboard (the OS clipboard through the app, not the webview's). */
export async function copyText(text: string): Promise<void> {
  await writeText(text);
}
