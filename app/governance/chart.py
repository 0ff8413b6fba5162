"""An XmR chart laid out for a server-rendered SVG, and its text alternative.

Plain data only: coordinates in the SVG's own units (the ``viewBox``, so the chart scales to
the width of a 360 px phone and of an A4 page), the words for every line and point, and a row
per week for the table that stands in for the picture. ``templates/governance/_spc_chart.html``
draws it. A marked week differs in shape as well as colour, so colour is never the only signal:
a circle is an ordinary week, a square an improvement, a triangle a concern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from math import ceil, floor, log10

from app.governance.spc import Cause, Chart, ChartPoint, Verdict, format_value
from app.governance.spc_rules import RULE_WORDS

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 40, 58, 12, 44
LABEL_GAP = 13  # the least distance between two line labels, so they never overlap
RADIUS = {"common": 3.5, "improvement": 5.0, "concern": 5.5}
TONES = {Cause.improvement: "improvement", Cause.concern: "concern"}
GUIDE_LABELS = {"upper": "Upper", "mean": "Mean", "lower": "Lower", "target": "Target"}


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    path: str  # the shape's SVG path, drawn around (x, y)
    tone: str  # common, improvement or concern: the CSS class and the legend entry
    label: str  # the week in words, shown as the point's tooltip


@dataclass(frozen=True)
class Guide:
    kind: str  # mean, upper, lower or target
    y: float
    label: str
    label_y: float  # where its label sits, moved apart from the others


@dataclass(frozen=True)
class Tick:
    at: float
    text: str


@dataclass(frozen=True)
class TableRow:
    week: str
    value: str
    records: int
    flags: str
    tone: str  # gap, unjudged, common, improvement or concern


@dataclass(frozen=True)
class Figure:
    width: int
    height: int
    box: Box
    lines: tuple[str, ...]  # one polyline per stretch of weeks with no gap
    gaps: tuple[float, ...]  # x of each week with no records
    markers: tuple[Marker, ...]
    guides: tuple[Guide, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    x_title: str
    legend: tuple[tuple[str, str], ...]  # (kind, words), for what the chart shows
    rows: tuple[TableRow, ...]
    summary: str
    variation: Verdict
    assurance: Verdict | None
    limits_note: str | None


def chart_figure(chart: Chart, *, width: int = 320, height: int = 220) -> Figure:
    """Lay the chart out in a ``width`` × ``height`` viewBox."""
    box = Box(MARGIN_LEFT, MARGIN_TOP, width - MARGIN_RIGHT, height - MARGIN_BOTTOM)
    low, high, step = _y_range(chart)

    def y_of(value: float) -> float:
        return _round(box.bottom - (value - low) / (high - low) * (box.bottom - box.top))

    band = (box.right - box.left) / max(len(chart.points), 1)
    xs = [_round(box.left + (i + 0.5) * band) for i in range(len(chart.points))]
    markers = tuple(
        _marker(x, y_of(point.value), point)
        for x, point in zip(xs, chart.points, strict=True)
        if point.value is not None
    )
    return Figure(
        width=width,
        height=height,
        box=box,
        lines=_lines(markers, chart.points),
        gaps=tuple(x for x, point in zip(xs, chart.points, strict=True) if point.is_gap),
        markers=markers,
        guides=_guides(chart, y_of, box),
        y_ticks=tuple(Tick(y_of(v), _tick_text(v, step)) for v in _steps(low, high, step)),
        x_ticks=_x_ticks(xs, chart.points),
        x_title=_x_title(chart.points),
        legend=_legend(chart, markers),
        rows=tuple(_row(point) for point in chart.points),
        summary=_summary(chart),
        variation=chart.variation,
        assurance=chart.assurance,
        limits_note=chart.limits_note,
    )


def _round(number: float) -> float:
    return round(number, 1)


def _y_range(chart: Chart) -> tuple[float, float, float]:
    """The value axis: every value, line and target in view, on round steps."""
    levels = [p.value for p in chart.points if p.value is not None]
    levels += [
        level
        for level in (chart.mean, chart.upper_limit, chart.lower_limit, chart.target)
        if level is not None
    ]
    low, high = (min(levels), max(levels)) if levels else (0.0, 100.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _nice_step((high - low) / 4)
    return floor(low / step) * step, ceil(high / step) * step, step


def _nice_step(rough: float) -> float:
    power = 10 ** floor(log10(rough))
    return next(m for m in (1, 2, 2.5, 5, 10) if rough <= m * power) * power


def _steps(low: float, high: float, step: float) -> list[float]:
    return [low + n * step for n in range(round((high - low) / step) + 1)]


def _tick_text(value: float, step: float) -> str:
    decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
    text = f"{value:.{decimals}f}"
    return text.removeprefix("-") if float(text) == 0 else text


def week_words(week: date) -> str:
    return f"{week.day} {MONTHS[week.month - 1]} {week.year}"


def _marker(x: float, y: float, point: ChartPoint) -> Marker:
    tone = TONES.get(point.cause, "common")
    r = RADIUS[tone]
    if tone == "improvement":  # a square
        path = f"M{_round(x - r)},{_round(y - r)}h{2 * r}v{2 * r}h{-2 * r}Z"
    elif tone == "concern":  # a triangle, point up
        h = _round(r * 0.9)
        path = (
            f"M{x},{_round(y - r)}L{_round(x + r)},{_round(y + h)}L{_round(x - r)},{_round(y + h)}Z"
        )
    else:  # a circle
        path = f"M{_round(x - r)},{y}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    value = format_value(point.value or 0)
    label = f"{week_words(point.week_start)}: {value}, from {_records(point.records)}. "
    return Marker(x, y, path, tone, label + _flag_words(point))


def _records(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


def _flag_words(point: ChartPoint) -> str:
    if point.is_gap:
        return "Gap: no records this week."
    if point.cause is None:
        return "Not judged: no process limits yet."
    if point.cause is Cause.common:
        return "Common cause."
    rules = "; ".join(RULE_WORDS[rule] for rule in point.rules)
    return f"{'Improvement' if point.cause is Cause.improvement else 'Concern'}: {rules}."


def _lines(markers: tuple[Marker, ...], points: tuple[ChartPoint, ...]) -> tuple[str, ...]:
    """The line joining the weeks, broken at each gap: a gap is no value, never a zero."""
    stretches: list[list[Marker]] = [[]]
    placed = iter(markers)
    for point in points:
        if point.is_gap:
            stretches.append([])
        else:
            stretches[-1].append(next(placed))
    return tuple(
        " ".join(f"{m.x},{m.y}" for m in stretch) for stretch in stretches if len(stretch) > 1
    )


def _guides(chart: Chart, y_of: Callable[[float], float], box: Box) -> tuple[Guide, ...]:
    levels = {
        "upper": chart.upper_limit,
        "mean": chart.mean,
        "lower": chart.lower_limit,
        "target": chart.target,
    }
    shown = {kind: y_of(level) for kind, level in levels.items() if level is not None}
    placed = _spread(shown, box.top + 4, box.bottom + 4)
    return tuple(Guide(kind, y, GUIDE_LABELS[kind], placed[kind]) for kind, y in shown.items())


def _spread(ys: dict[str, float], top: float, bottom: float) -> dict[str, float]:
    """Label heights near their lines, at least ``LABEL_GAP`` apart, within top and bottom."""
    order = sorted(ys, key=ys.__getitem__)
    placed: dict[str, float] = {}
    floor_at = top
    for kind in order:
        placed[kind] = max(ys[kind], floor_at)
        floor_at = placed[kind] + LABEL_GAP
    ceiling = bottom
    for kind in reversed(order):
        placed[kind] = _round(min(placed[kind], ceiling))
        ceiling = placed[kind] - LABEL_GAP
    return placed


def _x_ticks(xs: list[float], points: tuple[ChartPoint, ...]) -> tuple[Tick, ...]:
    """Up to four week labels: the first, the last and two between."""
    last = len(points) - 1
    shown = sorted({round(k * last / 3) for k in range(4)}) if last >= 0 else []
    return tuple(Tick(xs[i], _day_month(points[i].week_start)) for i in shown)


def _day_month(week: date) -> str:
    return f"{week.day} {MONTHS[week.month - 1]}"


def _x_title(points: tuple[ChartPoint, ...]) -> str:
    if not points:
        return "Week starting"
    first, last = points[0].week_start.year, points[-1].week_start.year
    return f"Week starting, {first}" if first == last else f"Week starting, {first} to {last}"


def _legend(chart: Chart, markers: tuple[Marker, ...]) -> tuple[tuple[str, str], ...]:
    tones = {marker.tone for marker in markers}
    entries = [
        (
            "common",
            "A week" if chart.limits_drawn else "A week (not judged yet)",
            "common" in tones,
        ),
        ("improvement", "Improvement: a pattern too strong to be chance", "improvement" in tones),
        ("concern", "Concern: a pattern too strong to be chance", "concern" in tones),
        ("mean", "Mean", chart.mean is not None),
        ("limit", "Process limits: where an ordinary week falls", chart.limits_drawn),
        ("target", f"Target: {format_value(chart.target or 0)}", chart.target is not None),
        ("gap", "A week with no records", any(point.is_gap for point in chart.points)),
    ]
    return tuple((kind, words) for kind, words, shown in entries if shown)


def _row(point: ChartPoint) -> TableRow:
    if point.value is None:
        return TableRow(week_words(point.week_start), "No records", point.records, "Gap", "gap")
    tone = "unjudged" if point.cause is None else TONES.get(point.cause, "common")
    flags = _flag_words(point).removesuffix(".")
    return TableRow(
        week_words(point.week_start), format_value(point.value), point.records, flags, tone
    )


def _summary(chart: Chart) -> str:
    """The chart in words: its verdicts, its lines, its weeks."""
    parts = [chart.variation.words]
    if chart.assurance is not None:
        parts.append(chart.assurance.words)
    elif chart.target is None:
        parts.append("No target is set.")
    levels = [f"mean {format_value(chart.mean)}"] if chart.mean is not None else []
    if chart.upper_limit is not None and chart.lower_limit is not None:
        low, high = format_value(chart.lower_limit), format_value(chart.upper_limit)
        levels.append(f"process limits {low} to {high}")
    if chart.target is not None:
        levels.append(f"target {format_value(chart.target)}")
    if levels:
        joined = "; ".join(levels)
        parts.append(f"{joined[0].upper()}{joined[1:]}.")
    parts.append(_weeks_summary(chart))
    return " ".join(parts)


def _weeks_summary(chart: Chart) -> str:
    if not chart.points:
        return "No weeks to show."
    gaps = len(chart.points) - chart.weeks_with_data
    special = sum(point.is_special for point in chart.points)
    latest = next((p for p in reversed(chart.points) if p.value is not None), None)
    words = f"{len(chart.points)} weeks from {week_words(chart.points[0].week_start)}"
    words += f", {gaps} with no records" if gaps else ""
    words += f", {special} marked as special cause." if chart.limits_drawn else "."
    if latest is not None and latest.value is not None:
        words += f" Latest week with records, {week_words(latest.week_start)}: "
        words += f"{format_value(latest.value)}."
    return words
