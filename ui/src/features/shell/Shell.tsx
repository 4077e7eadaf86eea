// The signed-in frame: menu on the left, header with organisation, user, language and sign-out.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Navigate, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { LangSwitch } from "../../components/LangSwitch";
import { useNotice } from "../../components/Notice";
import { applyLanguage } from "../../i18n";
import type { UiLanguage } from "../../lib/choices";
import { errorSentence } from "../../lib/errors";
import { useBackendEvents } from "../../lib/events";
import { ipc, toAppError } from "../../lib/ipc";
import { useUnreadTotal, useWaStatus } from "../../lib/queries";
import { useTraySync } from "../desktop/tray";
import { BoardPage } from "../board/BoardPage";
import { ClientPage } from "../clients/ClientPage";
import { ClientsPage } from "../clients/ClientsPage";
import { ImportPage } from "../import/ImportPage";
import { InboxPage } from "../inbox/InboxPage";
import { PartnersPage } from "../partners/PartnersPage";
import { SettingsPage } from "../settings/SettingsPage";
import { ToursPage } from "../tours/ToursPage";
import { UsersPage } from "../users/UsersPage";
import { QrDialogProvider } from "../whatsapp/QrDialogHost";
import { WaBadge } from "../whatsapp/WaBadge";
import { WaNotice } from "../whatsapp/WaNotice";
import { WhatsAppPage } from "../whatsapp/WhatsAppPage";
import { useIsAdmin, useSession } from "./session";
import { WriteTroubleBanner } from "./WriteTroubleBanner";

/** Saves the UI language for the user and applies it at once. */
export function useSetUiLanguage() {
  const { t } = useTranslation();
  const notice = useNotice();
  return async (l: UiLanguage) => {
    await applyLanguage(l);
    try {
      await ipc.uiLanguageSet(l);
    } catch (e) {
      notice({ text: errorSentence(toAppError(e), t) });
    }
  };
}

export function Shell() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const isAdmin = useIsAdmin();
  const navigate = useNavigate();
  const location = useLocation();
  const setLanguage = useSetUiLanguage();
  const savedLanguage = useQuery({ queryKey: ["uiLanguage"], queryFn: ipc.uiLanguageGet, staleTime: Infinity });
  const unread = useUnreadTotal().data ?? 0;
  const waStatus = useWaStatus().data ?? null;
  useBackendEvents();
  useTraySync(unread, waStatus);

  // After sign-in, the user's saved language wins over the one remembered on this computer.
  useEffect(() => {
    if (savedLanguage.data === "ru" || savedLanguage.data === "en") void applyLanguage(savedLanguage.data);
  }, [savedLanguage.data]);

  // Ctrl/Cmd+K: the search of the screen (chats in the inbox, else clients), from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        const input = (document.getElementById("chat-search") ?? document.getElementById("client-search")) as HTMLInputElement | null;
        if (input) {
          input.focus();
          input.select();
        } else {
          navigate("/clients", { state: { focusSearch: true } });
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);

  const links: { to: string; key: string; id: string; badge?: number }[] = [
    { to: "/inbox", key: "nav.inbox", id: "nav-inbox", badge: unread },
    { to: "/clients", key: "nav.clients", id: "nav-clients" },
    { to: "/board", key: "nav.board", id: "nav-board" },
    { to: "/tours", key: "nav.tours", id: "nav-tours" },
    { to: "/partners", key: "nav.partners", id: "nav-partners" },
    ...(isAdmin ? [{ to: "/users", key: "nav.users", id: "nav-users" }] : []),
    { to: "/whatsapp", key: "nav.whatsapp", id: "nav-whatsapp" },
    { to: "/import", key: "nav.import", id: "nav-import" },
    { to: "/settings", key: "nav.settings", id: "nav-settings" },
  ];

  return (
    <QrDialogProvider>
      <div className="shell">
        <nav className="sidebar" aria-label="main">
          <div className="brand">{t("app.name")}</div>
          <ul>
            {links.map((l) => (
              <li key={l.to}>
                <NavLink to={l.to} data-testid={l.id} className={({ isActive }) => (isActive ? "active" : "")}>
                  {t(l.key)}
                  {l.badge ? (
                    <span className="nav-badge" data-testid={`${l.id}-badge`} aria-label={t("nav.unread", { count: l.badge })}>
                      {l.badge > 999 ? "999+" : l.badge}
                    </span>
                  ) : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="main">
          <header className="topbar">
            <span className="org-name" dir="auto" data-testid="org-name">
              {session.org_name}
            </span>
            <WaBadge />
            <span className="spacer" />
            <span className="user-name">
              <bdi>{session.user.name}</bdi> <span className="muted">· {t(`role.${session.user.role}`)}</span>
            </span>
            <LangSwitch onPick={(l) => void setLanguage(l)} />
            <button type="button" data-testid="signout" onClick={() => void signOut()}>
              {t("nav.signOut")}
            </button>
          </header>
          <WriteTroubleBanner />
          <WaNotice />
          <main className="content" key={location.pathname.split("/")[1]}>
            <Routes>
              <Route path="/" element={<Navigate to="/clients" replace />} />
              <Route path="/inbox/:chatId?" element={<InboxPage />} />
              <Route path="/clients" element={<ClientsPage />} />
              <Route path="/clients/:id" element={<ClientPage />} />
              <Route path="/board" element={<BoardPage />} />
              <Route path="/tours" element={<ToursPage />} />
              <Route path="/partners" element={<PartnersPage />} />
              <Route path="/users" element={isAdmin ? <UsersPage /> : <Navigate to="/clients" replace />} />
              <Route path="/settings" element={<SettingsPage />} />
              <Route path="/whatsapp" element={<WhatsAppPage />} />
              <Route path="/import/:batchId?" element={<ImportPage />} />
              <Route path="*" element={<Navigate to="/clients" replace />} />
            </Routes>
          </main>
        </div>
      </div>
    </QrDialogProvider>
  );
}
