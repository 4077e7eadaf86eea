// Starts a chat: a phone number and the first message, sent through the queue.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "../../bindings/Message";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { ipc } from "../../lib/ipc";
import { addSentMessage } from "./inboxQueries";

export function NewChatForm({ onDone, onCancel }: { onDone: (m: Message) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [phone, setPhone] = useState("");
  const [body, setBody] = useState("");
  const send = useMutation({
    mutationFn: () => ipc.messageSend({ phone: phone.trim(), body: body.trim() }),
    onSuccess: (m) => {
      addSentMessage(qc, m);
      onDone(m);
    },
  });
  const ready = phone.trim() !== "" && body.trim() !== "";
  return (
    <form
      className="new-chat"
      data-testid="chat-new-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) send.mutate();
      }}
    >
      <Field label={t("inbox.phone")} hint={t("inbox.phoneHint")}>
        <input data-testid="chat-new-phone" type="tel" dir="ltr" autoFocus value={phone} onChange={(e) => setPhone(e.target.value)} />
      </Field>
      <Field label={t("inbox.firstMessage")}>
        <textarea data-testid="chat-new-body" dir="auto" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
      </Field>
      {send.error && <ErrorMessage error={send.error} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="chat-new-send" disabled={!ready || send.isPending}>
          {send.isPending ? t("inbox.sending") : t("inbox.send")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
