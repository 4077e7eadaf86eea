import React from "react";
import ReactDOM from "react-dom/client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { HashRouter } from "react-router-dom";
import "./i18n";
import "./styles/app.css";
import "./styles/inbox.css";
import "./styles/whatsapp.css";
import "./styles/import.css";
import { App } from "./App";
import { CloseExplainDialog } from "./features/desktop/CloseExplainDialog";
import { UpdateHost } from "./features/desktop/UpdateHost";
import { reportSessionLost } from "./lib/sessionLost";
import { WRITE_TROUBLE_KEY } from "./features/shell/WriteTroubleBanner";

// Every change, failed or not, re-reads whether writes work (the banner).
const recheckWrites = () => void queryClient.invalidateQueries({ queryKey: WRITE_TROUBLE_KEY });

const queryClient: QueryClient = new QueryClient({
  // A call answered "not signed in" means the session is gone (e.g. after a restore): lock.
  queryCache: new QueryCache({ onError: reportSessionLost }),
  mutationCache: new MutationCache({
    onError: (e) => {
      reportSessionLost(e);
      recheckWrites();
    },
    onSuccess: recheckWrites,
  }),
  defaultOptions: {
    // IPC is local and cheap; errors are shown, not retried blindly.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 },
    mutations: { retry: false },
  },
});

ReactDOM.createRoot(document.getElementById("root")!).render(
  <React.StrictMode>
    <QueryClientProvider client={queryClient}>
      <HashRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <UpdateHost>
          <App />
          <CloseExplainDialog />
        </UpdateHost>
      </HashRouter>
    </QueryClientProvider>
  </React.StrictMode>,
);
