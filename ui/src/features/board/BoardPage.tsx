// The board: one column per funnel status; drag a card (or use its menu) to move a client.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import type { BoardCard } from "../../bindings/BoardCard";
import type { FunnelStatus } from "../../bindings/FunnelStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { LanguageLabel } from "../../components/LanguageLabel";
import { PageTitle } from "../../components/PageTitle";
import { formatWhenCompact } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { invalidateClients, keys } from "../../lib/queries";
import { STATUSES } from "../../lib/status";

type PendingMove = { card: BoardCard; to: FunnelStatus };

export function BoardPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const board = useQuery({ queryKey: keys.board, queryFn: ipc.board });
  const [pending, setPending] = useState<PendingMove | null>(null);
  const [dragOver, setDragOver] = useState<FunnelStatus | null>(null);
  const [reason, setReason] = useState("");
  const move = useMutation({
    mutationFn: (m: PendingMove & { reason: string }) => ipc.clientChangeStatus({ client_id: m.card.id, to: m.to, reason: m.reason }),
    onSuccess: (_row, m) => {
      setPending(null);
      setReason("");
      invalidateClients(qc, m.card.id);
    },
  });

  const columns = STATUSES.map((s) => board.data?.find((c) => c.status === s) ?? { status: s, total: 0, cards: [] });
  const cardById = (id: string) => board.data?.flatMap((c) => c.cards).find((c) => c.id === id);

  const ask = (card: BoardCard, to: FunnelStatus) => {
    if (card.status === to) return;
    move.reset();
    setReason("");
    setPending({ card, to });
  };

  const onDrop = (e: DragEvent, to: FunnelStatus) => {
    e.preventDefault();
    setDragOver(null);
    const card = cardById(e.dataTransfer.getData("text/x-tourdesk-client"));
    if (card) ask(card, to);
  };

  return (
    <section className="page board-page">
      <PageTitle>{t("board.title")}</PageTitle>
      <p className="muted small">{t("board.hint")}</p>
      {board.error && <ErrorMessage error={board.error} />}
      {pending && (
        <form
          className="move-prompt"
          data-testid="move-prompt"
          onSubmit={(e) => {
            e.preventDefault();
            move.mutate({ ...pending, reason: reason.trim() });
          }}
        >
          <span>
            {t("board.moveReason", { name: "\u2068" + pending.card.name + "\u2069", status: t(`status.${pending.to}`) })}
          </span>
          <input
            data-testid="move-reason"
            dir="auto"
            autoFocus
            placeholder={t("board.reason")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setPending(null);
            }}
          />
          <button type="submit" className="primary" data-testid="move-confirm" disabled={move.isPending}>
            {t("board.confirm")}
          </button>
          <button type="button" onClick={() => setPending(null)}>
            {t("common.cancel")}
          </button>
          {move.error && <ErrorMessage error={move.error} />}
        </form>
      )}
      <div className="board">
        {columns.map((col) => (
          <div
            key={col.status}
            className={`board-col ${dragOver === col.status ? "drag-over" : ""}`}
            data-testid={`board-col-${col.status}`}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = "move";
              if (dragOver !== col.status) setDragOver(col.status);
            }}
            onDragLeave={() => setDragOver((d) => (d === col.status ? null : d))}
            onDrop={(e) => onDrop(e, col.status)}
          >
            <header className={`board-col-head status-${col.status}`}>
              <span>{t(`status.${col.status}`)}</span>
              <span className="count" data-testid="board-count">{col.total}</span>
            </header>
            <div className="board-cards">
              {col.cards.map((card) => (
                <Card key={card.id} card={card} onMove={(to) => ask(card, to)} />
              ))}
              {col.cards.length === 0 && <div className="empty small">{t("board.empty")}</div>}
              {col.total > col.cards.length && (
                <Link className="small more-link" to={`/clients?status=${col.status}`}>
                  {t("board.moreInList", { count: col.total - col.cards.length })}
                </Link>
              )}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}

function Card({ card, onMove }: { card: BoardCard; onMove: (to: FunnelStatus) => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  return (
    <article
      className="board-card"
      data-testid="board-card"
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData("text/x-tourdesk-client", card.id);
        e.dataTransfer.effectAllowed = "move";
      }}
      tabIndex={0}
      onClick={() => navigate(`/clients/${card.id}`)}
      onKeyDown={(e) => {
        if (e.key === "Enter" && e.target === e.currentTarget) navigate(`/clients/${card.id}`);
      }}
    >
      <div className="board-card-name"><bdi dir="auto">{card.name}</bdi></div>
      <div className="board-card-meta">
        <LanguageLabel language={card.language} short />
        <span className="muted small">{formatWhenCompact(card.updated_at, i18n.language)}</span>
        <select
          className="card-move"
          aria-label={t("board.moveTo")}
          title={t("board.moveTo")}
          value=""
          onClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => e.stopPropagation()}
          onChange={(e) => onMove(e.target.value as FunnelStatus)}
        >
          <option value="" disabled>
            ⇄
          </option>
          {STATUSES.filter((s) => s !== card.status).map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
    </article>
  );
}
