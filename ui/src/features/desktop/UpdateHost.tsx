// Follows the updater (mounted once, signed in or not): opens the update dialog when a new
// version is offered or an install the user started moves on, and runs "install".
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { UpdateState } from "../../bindings/UpdateState";
import { subscribe } from "../../lib/events";
import { ipc, toAppError } from "../../lib/ipc";
import { UpdateDialog } from "./UpdateDialog";
import { opensDialog, UPDATE_EVENT } from "./updateState";

type UpdateApi = { state: UpdateState; check: () => Promise<UpdateState>; open: () => void };

const Ctx = createContext<UpdateApi | null>(null);

/** The updater's state and actions, for the settings page. */
export function useUpdates(): UpdateApi {
  const api = useContext(Ctx);
  if (!api) throw new Error("useUpdates outside UpdateHost");
  return api;
}

export function UpdateHost({ children }: { children: ReactNode }) {
  const [state, setState] = useState<UpdateState>({ state: "idle" });
  const [shown, setShown] = useState(false);
  const dismissed = useRef<string | null>(null);
  const installing = useRef(false);

  const follow = useCallback((s: UpdateState) => {
    setState(s);
    if (opensDialog(s, dismissed.current, installing.current)) setShown(true);
    if (s.state === "failed") installing.current = false;
  }, []);

  useEffect(() => {
    const off = subscribe<UpdateState>(UPDATE_EVENT, follow);
    ipc.updateState().then(follow, () => undefined);
    return off;
  }, [follow]);

  const install = () => {
    installing.current = true;
    ipc.updateInstall().then(follow, (e) => follow({ state: "failed", failure: "internal", detail: toAppError(e).message, command: null }));
  };
  const check = async () => {
    // Asked for by the user: a version put off earlier is offered again.
    dismissed.current = null;
    const s = await ipc.updateCheck();
    follow(s);
    return s;
  };
  const api: UpdateApi = { state, check, open: () => setShown(true) };

  return (
    <Ctx.Provider value={api}>
      {children}
      {shown && state.state !== "idle" && (
        <UpdateDialog
          state={state}
          onInstall={install}
          onLater={() => {
            if (state.state === "available") dismissed.current = state.version;
            setShown(false);
          }}
          onClose={() => setShown(false)}
        />
      )}
    </Ctx.Provider>
  );
}
