import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../components/ErrorNotice";
import { useMutation } from "../query";

interface Props {
  hasPrompt: boolean;
  hasFrames: boolean;
  /** Rejects with the backend's reason (a name already taken); the form stays open to fix it. */
  onSave: (name: string, includePrompt: boolean, includeFrames: boolean) => Promise<void>;
  onCancel: () => void;
}

export function SavePresetForm({ hasPrompt, hasFrames, onSave, onCancel }: Props) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [withPrompt, setWithPrompt] = useState(false);
  const [withFrames, setWithFrames] = useState(false);
  // The form stays open on a refusal (a name already taken) to fix it.
  const { run: save, pending: busy, error } = useMutation(onSave);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);

  const canSave = name.trim() !== "" && !busy;
  return (
    <form
      className="save-preset"
      data-testid="save-preset-form"
      aria-label={t("presets.save.title")}
      onSubmit={(e) => {
        e.preventDefault();
        if (!canSave) return;
        void save(name.trim(), withPrompt && hasPrompt, withFrames && hasFrames);
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <label className="field-inline">
        <span>{t("presets.save.name")}</span>
        <input
          ref={nameRef}
          data-testid="save-preset-name"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="save-preset-prompt"
          checked={withPrompt && hasPrompt}
          disabled={!hasPrompt}
          onChange={(e) => setWithPrompt(e.target.checked)}
        />
        {t("presets.save.includePrompt")}
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="save-preset-frames"
          checked={withFrames && hasFrames}
          disabled={!hasFrames}
          onChange={(e) => setWithFrames(e.target.checked)}
        />
        {t("presets.save.includeFrames")}
      </label>
      <div className="confirm-actions">
        <button type="button" onClick={onCancel} data-testid="save-preset-cancel">
          {t("generate.cancel")}
        </button>
        <button type="submit" className="primary" disabled={!canSave} data-testid="save-preset-ok">
          {t("presets.save.ok")}
        </button>
      </div>
      {error && (
        <div data-testid="save-preset-error">
          <ErrorNotice error={error} />
        </div>
      )}
    </form>
  );
}
