import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { VirtualList, visibleRange } from "./VirtualList";

const ITEMS = Array.from({ length: 1000 }, (_, i) => `row ${i + 1}`);

function renderList(items: readonly string[] = ITEMS, onRangeChange?: (a: number, b: number) => void) {
  return render(
    <VirtualList
      items={items}
      rowHeight={20}
      height={200}
      overscan={5}
      rowKey={(s) => s}
      renderRow={(s) => <span data-testid="row">{s}</span>}
      onRangeChange={onRangeChange}
      testId="list"
    />,
  );
}

function shown() {
  return screen.queryAllByTestId("row").map((r) => r.textContent);
}

describe("visibleRange", () => {
  it("covers the view plus the margin, clamped to the list", () => {
    expect(visibleRange(1000, 0, 200, 20, 5)).toEqual([0, 14]);
    expect(visibleRange(1000, 1000, 200, 20, 5)).toEqual([45, 64]);
    expect(visibleRange(1000, 19_800, 200, 20, 5)).toEqual([985, 999]);
    expect(visibleRange(3, 0, 200, 20, 5)).toEqual([0, 2]);
    expect(visibleRange(0, 0, 200, 20, 5)).toEqual([0, -1]);
  });
});

describe("VirtualList", () => {
  it("renders only the rows in view and a margin out of 1 000", () => {
    renderList();
    const rows = shown();
    expect(rows.length).toBe(15);
    expect(rows[0]).toBe("row 1");
    expect(rows.at(-1)).toBe("row 15");
    // The spacer keeps the scroll bar honest: as tall as every row.
    const spacer = screen.getByTestId("list").firstElementChild as HTMLElement;
    expect(spacer.style.height).toBe("20000px");
  });

  it("follows the scroll position and reports the rendered range", () => {
    const onRange = vi.fn();
    renderList(ITEMS, onRange);
    expect(onRange).toHaveBeenLastCalledWith(0, 14);
    const list = screen.getByTestId("list");
    list.scrollTop = 10_000;
    fireEvent.scroll(list);
    const rows = shown();
    expect(rows[0]).toBe("row 496");
    expect(rows.at(-1)).toBe("row 515");
    expect(screen.queryByText("row 1")).toBeNull();
    expect(onRange).toHaveBeenLastCalledWith(495, 514);
    // Each row sits where it would in the full list.
    const placed = screen.getByText("row 500").parentElement as HTMLElement;
    expect(placed.style.top).toBe(`${499 * 20}px`);
  });

  it("comes back into range when the list gets shorter", () => {
    const { rerender } = renderList();
    const list = screen.getByTestId("list");
    list.scrollTop = 15_000;
    fireEvent.scroll(list);
    rerender(
      <VirtualList
        items={ITEMS.slice(0, 12)}
        rowHeight={20}
        height={200}
        overscan={5}
        rowKey={(s) => s}
        renderRow={(s) => <span data-testid="row">{s}</span>}
        testId="list"
      />,
    );
    expect(shown()).toEqual(ITEMS.slice(0, 12));
  });

  it("renders nothing for an empty list", () => {
    renderList([]);
    expect(shown()).toEqual([]);
  });
});
