"""Plain-text tables for the figures, readable in a terminal and in a pasted note."""

from __future__ import annotations

from collections.abc import Sequence

Cell = str | int | float
MISSING = "-"  # a figure that could not be measured; sits in a column of numbers


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """Print ``rows`` under ``headers``: text left-aligned, numbers right-aligned."""
    cells = [list(headers), *([_text(cell) for cell in row] for row in rows)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    numeric = [
        all(isinstance(row[column], int | float) or row[column] == MISSING for row in rows)
        for column in range(len(headers))
    ]
    print(f"\n{title}")
    print(
        "  "
        + "  ".join(_pad(h, w, right) for h, w, right in zip(headers, widths, numeric, strict=True))
    )
    print("  " + "  ".join("-" * width for width in widths))
    for row in cells[1:]:
        print(
            "  "
            + "  ".join(_pad(c, w, right) for c, w, right in zip(row, widths, numeric, strict=True))
        )


def _text(cell: Cell) -> str:
    if isinstance(cell, float):
        return f"{cell:,.1f}"
    if isinstance(cell, int):
        return f"{cell:,}"
    return cell


def _pad(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)


def kib(size: int) -> str:
    return f"{size / 1024:.1f} KiB"
