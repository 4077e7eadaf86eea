// Top level: first run, sign-in, or the signed-in shell.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import type { Session } from "./bindings/Session";
import { ErrorMessage } from "./components/ErrorMessage";
import { NoticeProvider } from "./components/Notice";
import { FirstRun } from "./features/auth/FirstRun";
import { SignIn } from "./features/auth/SignIn";
import { SessionContext, type SessionApi } from "./features/shell/session";
import { Shell } from "./features/shell/Shell";
import { RecoveryScreen } from "./features/recovery/RecoveryScreen";
import type { RecoveryState } from "./bindings/RecoveryState";
import { useTraySync } from "./features/desktop/tray";
import { ipc } from "./lib/ipc";
import { onSessionLost } from "./lib/sessionLost";

export function App() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // First: did the data folder open? If not, the recovery screen says why.
  const recovery = useQuery({ queryKey: ["recovery"], queryFn: ipc.recoveryState, staleTime: Infinity });
  const startup = useQuery({ queryKey: ["startup"], queryFn: ipc.startupState, staleTime: Infinity, enabled: recovery.data === null });
  // undefined: not decided yet (use the startup state); null: signed out.
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    if (session === undefined && startup.data) setSession(startup.data.session ?? null);
  }, [session, startup.data]);

  const signIn = useCallback(
    (s: Session) => {
      navigate("/clients", { replace: true });
      setSession(s);
    },
    [navigate],
  );

  const signOut = useCallback(async () => {
    try {
      await ipc.signOut();
    } catch {
      // The core may have no session any more; locking the UI is what matters.
    } finally {
      // Lock: nothing of the previous user stays in memory.
      queryClient.clear();
      setSession(null);
      queryClient.setQueryData(["startup"], { first_run: false });
      navigate("/", { replace: true });
    }
  }, [navigate, queryClient]);

  // The core forgot the session (restore, deactivation): show sign-in, keep nothing.
  useEffect(
    () =>
      onSessionLost(() => {
        if (session) void signOut();
      }),
    [session, signOut],
  );

  // Once the first screen (first run, sign-in or the shell) is on, the shell logs the start-up time.
  const decided = session !== undefined;
  useEffect(() => {
    if (decided) ipc.appFirstScreen().catch(() => undefined);
  }, [decided]);

  const api: SessionApi | null = useMemo(() => (session ? { session, signOut } : null), [session, signOut]);

  const setRecovery = (r: RecoveryState | null) => queryClient.setQueryData(["recovery"], r);
  if (recovery.data) {
    return <RecoveryScreen state={recovery.data} onState={setRecovery} onOpened={() => setRecovery(null)} />;
  }
  if (session === undefined) {
    const failed = recovery.error ?? startup.error;
    if (failed) {
      return (
        <div className="splash">
          <p>{t("app.startupFailed")}</p>
          <ErrorMessage error={failed} />
        </div>
      );
    }
    return <div className="splash">{t("app.loading")}</div>;
  }
  if (api) {
    return (
      <SessionContext.Provider value={api}>
        {/* Notices live with the session: signing out drops them. */}
        <NoticeProvider>
          <Shell />
        </NoticeProvider>
      </SessionContext.Provider>
    );
  }
  return (
    <>
      <SignedOutTray />
      {startup.data?.first_run ? <FirstRun onDone={signIn} /> : <SignIn onSignedIn={signIn} />}
    </>
  );
}

/** Signed out: the tray speaks the page's language, with no unread count or WhatsApp state. */
function SignedOutTray() {
  useTraySync(0, null);
  return null;
}
