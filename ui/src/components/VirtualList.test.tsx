import { fireEvent, render, screen } from "@testing-library/react";
import { VirtualList, visibleRange } from "./VirtualList";

describe("visibleRange", () => {
  it("covers the rows in view plus the overscan on each side, clamped to the list", () => {
    expect(visibleRange(0, 300, 30, 1000, 3)).toEqual({ start: 0, end: 14 });
    expect(visibleRange(3000, 300, 30, 1000, 3)).toEqual({ start: 97, end: 114 });
    expect(visibleRange(29_990, 300, 30, 1000, 3)).toEqual({ start: 996, end: 1000 });
    expect(visibleRange(0, 300, 30, 5, 3)).toEqual({ start: 0, end: 5 });
    expect(visibleRange(0, 300, 30, 0, 3)).toEqual({ start: 0, end: 0 });
  });
});

function list(onEnd = vi.fn()) {
  const items = Array.from({ length: 1000 }, (_, i) => `row ${i}`);
  render(
    <VirtualList
      testId="vl"
      count={items.length}
      rowHeight={30}
      initialHeight={300}
      overscan={3}
      rowKey={(i) => items[i]}
      renderRow={(i) => <span data-testid="item">{items[i]}</span>}
      onEndReached={onEnd}
    />,
  );
  return onEnd;
}

describe("VirtualList", () => {
  it("renders only the visible rows and the overscan, not all thousand", () => {
    list();
    const rows = screen.getAllByTestId("item").map((e) => e.textContent);
    expect(rows).toHaveLength(14);
    expect(rows[0]).toBe("row 0");
    expect(rows[13]).toBe("row 13");
    // The spacer keeps the full scroll height.
    expect((screen.getByTestId("vl").firstChild as HTMLElement).style.height).toBe("30000px");
  });

  it("moves the window when scrolled and asks for more near the end", () => {
    const onEnd = list();
    const vl = screen.getByTestId("vl");
    fireEvent.scroll(vl, { target: { scrollTop: 3000 } });
    const rows = screen.getAllByTestId("item").map((e) => e.textContent);
    expect(rows[0]).toBe("row 97");
    expect(rows).toHaveLength(17);
    expect(screen.queryByText("row 0")).toBeNull();
    expect(onEnd).not.toHaveBeenCalled();
    fireEvent.scroll(vl, { target: { scrollTop: 29_700 } });
    expect(screen.getByText("row 999")).toBeTruthy();
    expect(onEnd).toHaveBeenCalledTimes(1);
  });
});
