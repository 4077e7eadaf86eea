// A windowed list of rows of different heights (the conversation): only the rows in view, plus
// `overscanPx` above and below, are in the DOM. Heights are measured as rows render (an estimate
// stands in until then). The reading position is kept when rows are added or removed above it,
// the view stays at the bottom while the reader is there, and a row can be scrolled to the middle.
import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";

/** Within this distance of the bottom the reader counts as "at the bottom". */
export const BOTTOM_SLACK = 120;
/** Within this distance of either end, more rows are asked for. */
const END_SLACK = 300;

/** The top of every row and, last, the total height (length `keys.length + 1`). */
export function rowOffsets(keys: readonly string[], heights: ReadonlyMap<string, number>, estimate: number): number[] {
  const out = new Array<number>(keys.length + 1);
  let top = 0;
  for (let i = 0; i < keys.length; i += 1) {
    out[i] = top;
    top += heights.get(keys[i]) ?? estimate;
  }
  out[keys.length] = top;
  return out;
}

/** The first row whose bottom is below `y` (binary search over `offsets`). */
export function rowAt(offsets: readonly number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1] <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First (inclusive) and last (exclusive) row to render for a view from `top` to `bottom`. */
export function rowRange(offsets: readonly number[], top: number, bottom: number): { start: number; end: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  return { start: rowAt(offsets, Math.max(0, top)), end: Math.min(count, rowAt(offsets, bottom) + 1) };
}

/** What a parent can ask of the list. */
export type VirtualFeedHandle = {
  /** Puts this row in the middle of the view (now, or as soon as it is among the rows). */
  scrollToKey: (key: string) => void;
  /** Shows the newest (last) rows and stays there. */
  scrollToBottom: () => void;
};

type Props = {
  keys: readonly string[];
  renderRow: (index: number) => ReactNode;
  /** Height assumed for a row not yet measured (and in tests, where nothing has a size). */
  estimate?: number;
  overscanPx?: number;
  /** Used until the real height is measured. */
  initialHeight?: number;
  /** The reader scrolled near the first row. */
  onTopReached?: () => void;
  /** The reader scrolled near the last row. */
  onBottomReached?: () => void;
  /** The reader came to, or left, the bottom. */
  onAtBottom?: (atBottom: boolean) => void;
  className?: string;
  testId?: string;
  ariaLabel?: string;
};

type Anchor = { key: string; delta: number };
type Pending = { kind: "key"; key: string } | { kind: "bottom" } | null;

export const VirtualFeed = forwardRef<VirtualFeedHandle, Props>(function VirtualFeed(
  { keys, renderRow, estimate = 72, overscanPx = 600, initialHeight = 600, onTopReached, onBottomReached, onAtBottom, className, testId, ariaLabel },
  handle,
) {
  const ref = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>()).current;
  const [measured, setMeasured] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(initialHeight);
  // The list opens at the bottom (the newest message), like a chat.
  const atBottom = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const pending = useRef<Pending>(null);
  const rows = useRef(new Map<string, HTMLElement>()).current;
  const ends = useRef({ top: false, bottom: false, count: 0 });

  const offsets = useMemo(() => rowOffsets(keys, heights, estimate), [keys, measured, estimate]);
  const index = useMemo(() => new Map(keys.map((k, i) => [k, i])), [keys]);
  const total = offsets[keys.length];
  const maxTop = Math.max(0, total - viewport);

  // Where the view belongs now: a requested row in the middle, the bottom, or the row the reader
  // was looking at, at the same place on screen (`null`: where it is). Worked out while
  // rendering, so the rows drawn are the ones that will be in view.
  const target = (): { top: number | null; done: boolean } => {
    const p = pending.current;
    if (p?.kind === "key") {
      // A row not among the rows yet is waited for where the view is.
      const i = index.get(p.key);
      if (i === undefined) return { top: null, done: false };
      return { top: Math.min(maxTop, Math.max(0, offsets[i] + (offsets[i + 1] - offsets[i]) / 2 - viewport / 2)), done: true };
    }
    if (p?.kind === "bottom" || atBottom.current) return { top: maxTop, done: true };
    const a = anchor.current;
    const i = a ? index.get(a.key) : undefined;
    if (a && i !== undefined) return { top: Math.min(maxTop, Math.max(0, offsets[i] - a.delta)), done: false };
    return { top: null, done: false };
  };
  const planned = target();
  const viewTop = planned.top ?? scrollTop;
  const { start, end } = rowRange(offsets, viewTop - overscanPx, viewTop + viewport + overscanPx);

  const setBottom = (v: boolean) => {
    if (atBottom.current === v) return;
    atBottom.current = v;
    onAtBottom?.(v);
  };

  useImperativeHandle(handle, () => ({
    scrollToKey: (key) => {
      pending.current = { kind: "key", key };
      setMeasured((n) => n + 1);
    },
    scrollToBottom: () => {
      pending.current = { kind: "bottom" };
      setMeasured((n) => n + 1);
    },
  }));

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientHeight > 0) setViewport(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Rendered rows are measured; a changed height moves the rows below it on the next render.
  const measureRows = () => {
    let changed = false;
    for (const [key, el] of rows) {
      const h = el.getBoundingClientRect().height;
      if (h > 0 && Math.abs((heights.get(key) ?? -1) - h) > 0.5) {
        heights.set(key, h);
        changed = true;
      }
    }
    if (changed) setMeasured((n) => n + 1);
  };
  const observer = useMemo(() => (typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => measureRows())), []);
  useEffect(() => () => observer?.disconnect(), [observer]);

  // After every render: measure, then put the view where it belongs — a requested row, the
  // bottom, or the row the reader was looking at, at the same place on screen.
  useLayoutEffect(() => {
    measureRows();
    const el = ref.current;
    if (!el) return;
    const want = target();
    const p = pending.current;
    if (want.done && p) {
      pending.current = null;
      setBottom(p.kind === "bottom" || (want.top ?? 0) >= maxTop - BOTTOM_SLACK);
    } else if (want.done) setBottom(true);
    if (want.top !== null && Math.abs(el.scrollTop - want.top) > 0.5) el.scrollTop = want.top;
    const top = el.scrollTop;
    if (keys.length) {
      const i = rowAt(offsets, top);
      anchor.current = { key: keys[i], delta: offsets[i] - top };
    }
    if (top !== scrollTop) setScrollTop(top);
    // Near an end (where the view really is now): ask for more, again when more rows came.
    const nearTop = keys.length > 0 && top < END_SLACK;
    const nearBottom = keys.length > 0 && top + viewport > total - END_SLACK;
    const last = ends.current;
    if (nearTop && (!last.top || last.count !== keys.length)) onTopReached?.();
    if (nearBottom && (!last.bottom || last.count !== keys.length)) onBottomReached?.();
    ends.current = { top: nearTop, bottom: nearBottom, count: keys.length };
  });

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const top = el.scrollTop;
    setBottom(total - (top + viewport) < BOTTOM_SLACK);
    if (keys.length) {
      const i = rowAt(offsets, top);
      anchor.current = { key: keys[i], delta: offsets[i] - top };
    }
    setScrollTop(top);
  };

  const shown: ReactNode[] = [];
  for (let i = start; i < end; i += 1) {
    const key = keys[i];
    shown.push(
      <div
        key={key}
        className="vf-row"
        style={{ position: "absolute", top: offsets[i], left: 0, right: 0 }}
        ref={(el) => {
          const old = rows.get(key);
          if (old && old !== el) {
            observer?.unobserve(old);
            rows.delete(key);
          }
          if (el && old !== el) {
            rows.set(key, el);
            observer?.observe(el);
          }
        }}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className={className ? `vf ${className}` : "vf"}
      data-testid={testId}
      aria-label={ariaLabel}
      style={{ overflowY: "auto", position: "relative" }}
      onScroll={onScroll}
    >
      <div style={{ height: total, position: "relative" }}>{shown}</div>
    </div>
  );
});
