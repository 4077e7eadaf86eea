// Keeps the linking window over the whole app: it opens by itself when a QR or pairing code
// arrives (or right after Connect), and closes itself once the phone is linked.
import { useQuery } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useNotice } from "../../components/Notice";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { QrDialog } from "./QrDialog";
import { isLinking } from "./waState";

type QrDialogApi = { open: () => void; close: () => void };

const QrDialogContext = createContext<QrDialogApi>({ open: () => {}, close: () => {} });

/** Opens or closes the linking window. */
export function useQrDialog(): QrDialogApi {
  return useContext(QrDialogContext);
}

export function QrDialogProvider({ children }: { children: ReactNode }) {
  const notice = useNotice();
  // Asked for by Connect / "Show the code"; dismissed by Cancel until the state moves on.
  const [requested, setRequested] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const wasOpen = useRef(false);
  const status = useQuery({
    queryKey: keys.waStatus,
    queryFn: ipc.waStatus,
    // A safety net while linking; the "wa:state_changed" event is what normally updates it.
    refetchInterval: requested ? 3_000 : false,
  }).data;
  const state = status?.state.state;
  const linked = state === "authenticated" || state === "ready";
  const linking = isLinking(status);
  const open = Boolean(status) && !dismissed && !linked && (linking || requested);

  useEffect(() => {
    if (linked) {
      if (wasOpen.current) notice({ textKey: "wa.qr.linked", ms: 5000 });
      setRequested(false);
      setDismissed(false);
    } else if (!linking && !requested) {
      setDismissed(false);
    }
    // Only a new state decides; the notice is translated when shown.
  }, [state]);

  useEffect(() => {
    wasOpen.current = open;
  }, [open]);

  const openDialog = useCallback(() => {
    setDismissed(false);
    setRequested(true);
  }, []);
  const close = useCallback(() => {
    setRequested(false);
    setDismissed(true);
  }, []);
  const api = useMemo(() => ({ open: openDialog, close }), [openDialog, close]);

  return (
    <QrDialogContext.Provider value={api}>
      {children}
      {open && status && <QrDialog status={status} onCancel={close} />}
    </QrDialogContext.Provider>
  );
}
