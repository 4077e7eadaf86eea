import { act, fireEvent, render, screen } from "@testing-library/react";
import { createRef } from "react";
import { rowAt, rowOffsets, rowRange, VirtualFeed, type VirtualFeedHandle } from "./VirtualFeed";

describe("row geometry", () => {
  it("adds measured heights and the estimate into row tops and finds the row at a height", () => {
    const offsets = rowOffsets(["a", "b", "c", "d"], new Map([["b", 100]]), 50);
    expect(offsets).toEqual([0, 50, 150, 200, 250]);
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 49)).toBe(0);
    expect(rowAt(offsets, 50)).toBe(1);
    expect(rowAt(offsets, 149)).toBe(1);
    expect(rowAt(offsets, 10_000)).toBe(3);
    expect(rowRange(offsets, 60, 160)).toEqual({ start: 1, end: 3 });
    expect(rowRange([0], 0, 100)).toEqual({ start: 0, end: 0 });
  });
});

function feed(keys: string[], ref = createRef<VirtualFeedHandle>(), onTop = vi.fn()) {
  const view = render(
    <VirtualFeed
      ref={ref}
      testId="vf"
      keys={keys}
      estimate={50}
      overscanPx={100}
      initialHeight={500}
      onTopReached={onTop}
      renderRow={(i) => <span data-testid="row">{keys[i]}</span>}
    />,
  );
  return { ref, view, onTop };
}

const texts = () => screen.getAllByTestId("row").map((e) => e.textContent);

describe("VirtualFeed", () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `r${i}`);

  it("opens at the bottom of 20 000 rows with only the rows in view and the overscan in the DOM", () => {
    feed(keys);
    const vf = screen.getByTestId("vf");
    expect(vf.scrollTop).toBe(20_000 * 50 - 500);
    expect(texts()).toContain("r19999");
    expect(texts().length).toBeLessThanOrEqual(500 / 50 + 100 / 50 + 2);
    expect((vf.firstChild as HTMLElement).style.height).toBe(`${20_000 * 50}px`);
  });

  it("puts a requested row in the middle of the view", () => {
    const { ref } = feed(keys);
    act(() => ref.current?.scrollToKey("r100"));
    const vf = screen.getByTestId("vf");
    expect(vf.scrollTop).toBe(100 * 50 + 25 - 250);
    expect(texts()).toContain("r100");
    expect(texts()).not.toContain("r19999");
  });

  it("keeps the row being read in place when older rows are added above it", () => {
    const ref = createRef<VirtualFeedHandle>();
    const first = keys.slice(1000, 1100);
    const { view, onTop } = feed(first, ref);
    const vf = screen.getByTestId("vf");
    fireEvent.scroll(vf, { target: { scrollTop: 120 } });
    expect(onTop).toHaveBeenCalled();
    const reading = texts()[0];
    view.rerender(
      <VirtualFeed ref={ref} testId="vf" keys={keys.slice(950, 1100)} estimate={50} overscanPx={100} initialHeight={500} renderRow={(i) => <span data-testid="row">{keys[950 + i]}</span>} />,
    );
    // Fifty rows of 50 px came in above: the view moved down by as much.
    expect(vf.scrollTop).toBe(120 + 50 * 50);
    expect(texts()).toContain(reading);
  });
});
