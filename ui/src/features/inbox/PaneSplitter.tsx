// A drag handle between two panes; the width it sets is remembered on this computer.
import { useCallback, useState, type PointerEvent } from "react";

function load(key: string, fallback: number): number {
  try {
    const v = Number(localStorage.getItem(key));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

/** A pane width kept in local storage under `key`, clamped to [min, max]. */
export function usePaneWidth(key: string, fallback: number, min: number, max: number) {
  const [width, setWidth] = useState(() => Math.min(max, Math.max(min, load(key, fallback))));
  const set = useCallback(
    (w: number) => {
      const v = Math.round(Math.min(max, Math.max(min, w)));
      setWidth(v);
      try {
        localStorage.setItem(key, String(v));
      } catch {
        // The width still applies for this session.
      }
    },
    [key, min, max],
  );
  return [width, set] as const;
}

/** `side` says which pane the handle resizes: the one before it (left) or after it (right). */
export function PaneSplitter({ width, onWidth, side, label }: { width: number; onWidth: (w: number) => void; side: "left" | "right"; label: string }) {
  const start = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const x0 = e.clientX;
    const w0 = width;
    const move = (ev: globalThis.PointerEvent) => onWidth(w0 + (side === "left" ? ev.clientX - x0 : x0 - ev.clientX));
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      document.body.classList.remove("resizing");
    };
    document.body.classList.add("resizing");
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  };
  return <div className="pane-splitter" role="separator" aria-orientation="vertical" aria-label={label} onPointerDown={start} />;
}
