// A message's stored file: images, voice and video shown inline; documents offered to open or save.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { MediaData } from "../../bindings/MediaData";
import type { Message } from "../../bindings/Message";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";

/** The file as a data URL. */
export function mediaUrl(m: MediaData): string {
  return `data:${m.mime || "application/octet-stream"};base64,${m.data_base64}`;
}

export function MediaView({ message }: { message: Message }) {
  const { t } = useTranslation();
  const stored = Boolean(message.media_path);
  const isDocument = message.kind === "document";
  const media = useQuery({
    queryKey: keys.media(message.id),
    queryFn: () => ipc.messageMedia(message.id),
    // Images, voice and video load at once; a document only when asked.
    enabled: stored && !isDocument,
    staleTime: Infinity,
  });
  const label = t(`msgKind.${message.kind}`);

  if (!stored) return <div className="media-missing muted">{t("message.mediaNotSaved", { kind: label })}</div>;
  if (media.error) return <div className="media-missing muted">{t("message.mediaFailed", { kind: label })}</div>;

  if (isDocument) {
    const name = media.data?.file_name || message.media_path?.split(/[\\/]/).pop() || label;
    return (
      <div className="media-doc">
        <span className="media-doc-name" dir="auto">
          📄 {name}
        </span>
        {media.data ? (
          <>
            <a href={mediaUrl(media.data)} download={media.data.file_name || name} data-testid="media-save">
              {t("message.save")}
            </a>
            <a href={mediaUrl(media.data)} target="_blank" rel="noreferrer" data-testid="media-open">
              {t("message.open")}
            </a>
          </>
        ) : (
          <button type="button" className="small" data-testid="media-load" disabled={media.isFetching} onClick={() => void media.refetch()}>
            {media.isFetching ? t("common.loading") : t("message.getFile")}
          </button>
        )}
      </div>
    );
  }

  if (!media.data) return <div className="media-loading muted">{label} · {t("common.loading")}</div>;
  const src = mediaUrl(media.data);
  switch (message.kind) {
    case "image":
      return <img className="media-image" src={src} alt={label} data-testid="media-image" />;
    case "audio":
      return <audio className="media-audio" controls src={src} data-testid="media-audio" />;
    case "video":
      return <video className="media-video" controls src={src} data-testid="media-video" />;
    default:
      return null;
  }
}
