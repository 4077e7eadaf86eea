// A windowed list of fixed-height rows: only the rows in view (plus `overscan` on each side) are
// in the DOM. `onEndReached` fires when the window comes within `endThreshold` rows of the end.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";

/** First (inclusive) and last (exclusive) row index to render. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): { start: number; end: number } {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const inView = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + inView + overscan);
  return { start, end };
}

type Props = {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  rowKey: (index: number) => string;
  overscan?: number;
  /** Used until the real height is measured (and in tests, where nothing has a size). */
  initialHeight?: number;
  onEndReached?: () => void;
  endThreshold?: number;
  className?: string;
  testId?: string;
  /** Scrolls so this row is in view when it changes. */
  scrollToIndex?: number;
  ariaLabel?: string;
};

export function VirtualList({
  count,
  rowHeight,
  renderRow,
  rowKey,
  overscan = 4,
  initialHeight = 600,
  onEndReached,
  endThreshold = 5,
  className,
  testId,
  scrollToIndex,
  ariaLabel,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(initialHeight);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientHeight > 0) setHeight(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0) return;
    const top = scrollToIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
  }, [scrollToIndex, rowHeight, height]);

  const { start, end } = visibleRange(scrollTop, height, rowHeight, count, overscan);

  const nearEnd = count > 0 && end >= count - endThreshold;
  useEffect(() => {
    if (nearEnd) onEndReached?.();
    // Fires again when more rows arrive and the window is still near the end.
  }, [nearEnd, count]);

  const rows: ReactNode[] = [];
  for (let i = start; i < end; i += 1) {
    rows.push(
      <div key={rowKey(i)} className="vl-row" style={{ position: "absolute", top: i * rowHeight, left: 0, right: 0, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className={className ? `vl ${className}` : "vl"}
      data-testid={testId}
      aria-label={ariaLabel}
      style={{ overflowY: "auto", position: "relative" }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: count * rowHeight, position: "relative" }}>{rows}</div>
    </div>
  );
}
