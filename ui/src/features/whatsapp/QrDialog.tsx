// The linking window: the QR code to scan (redrawn as it rotates), or linking by phone number
// with the eight-character pairing code. Esc or Cancel closes it.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { WaStatus } from "../../bindings/WaStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { ipc } from "../../lib/ipc";
import { QrImage } from "./QrImage";
import { formatPairingCode, waBadgeText, waStateAdvice } from "./waState";

export function QrDialog({ status, onCancel }: { status: WaStatus; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const [byPhone, setByPhone] = useState(false);
  const [phone, setPhone] = useState("");
  const request = useMutation({ mutationFn: (p: string) => ipc.waPairingCode(p) });
  const s = status.state;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onCancel();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);

  let body;
  if (s.state === "pairing_code") {
    body = (
      <div className="qr-body">
        <h3>{t("wa.qr.codeTitle")}</h3>
        <div className="pairing-code mono" data-testid="wa-pairing-code" dir="ltr">
          {formatPairingCode(s.code)}
        </div>
        <p className="qr-steps">{t("wa.qr.codeSteps")}</p>
        <p className="muted small">{t("wa.qr.closesItself")}</p>
      </div>
    );
  } else if (byPhone) {
    body = (
      <form
        className="qr-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (phone.trim()) request.mutate(phone.trim());
        }}
      >
        <Field label={t("wa.qr.phone")} hint={t("wa.qr.phoneHint")}>
          <input data-testid="wa-pairing-phone" dir="ltr" type="tel" autoFocus value={phone} onChange={(e) => setPhone(e.target.value)} />
        </Field>
        {request.error && <ErrorMessage error={request.error} />}
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="wa-pairing-request" disabled={!phone.trim() || request.isPending}>
            {request.isPending ? t("wa.qr.requesting") : t("wa.qr.requestCode")}
          </button>
          <button type="button" className="link-button" onClick={() => setByPhone(false)}>
            {t("wa.qr.useQr")}
          </button>
        </div>
      </form>
    );
  } else if (s.state === "qr") {
    body = (
      <div className="qr-body">
        <p className="qr-steps">{t("wa.qr.scan")}</p>
        <div className="qr-frame">
          <QrImage value={s.qr} alt={t("wa.qr.imageAlt")} />
        </div>
        <p className="muted small">{t("wa.qr.rotates")}</p>
        <button type="button" className="link-button" data-testid="wa-use-phone" onClick={() => setByPhone(true)}>
          {t("wa.qr.usePhone")}
        </button>
      </div>
    );
  } else if (s.state === "starting" || s.state === "not_connected") {
    body = (
      <div className="qr-body">
        <p className="qr-waiting">{t("wa.qr.starting")}</p>
        <button type="button" className="link-button" data-testid="wa-use-phone" onClick={() => setByPhone(true)}>
          {t("wa.qr.usePhone")}
        </button>
      </div>
    );
  } else {
    const advice = waStateAdvice(status, t);
    body = (
      <div className="qr-body">
        <p className="strong">{waBadgeText(status, t, i18n.language)}</p>
        {advice && <p>{advice}</p>}
      </div>
    );
  }

  return (
    <div className="modal-backdrop">
      <div className="modal qr-dialog" role="dialog" aria-modal="true" aria-labelledby="wa-qr-title" data-testid="wa-qr-dialog" data-state={s.state}>
        <header className="modal-head">
          <h2 id="wa-qr-title">{t("wa.qr.title")}</h2>
          <button type="button" className="icon-button" onClick={onCancel} title={t("common.closeHint")} aria-label={t("common.close")}>
            ×
          </button>
        </header>
        {body}
        <footer className="modal-foot">
          <button type="button" data-testid="wa-qr-cancel" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        </footer>
      </div>
    </div>
  );
}
