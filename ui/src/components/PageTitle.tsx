// The heading of a screen (the end-to-end test finds every screen by it).
import type { ReactNode } from "react";

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-head">
      <h1 data-testid="page-title">{children}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
