"""The XmR chart drawn by the ``spc_chart`` macro with the app's own template environment: an
accessible SVG with its lines and marked weeks, and the table that stands in for it."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from app.governance.chart import Figure, chart_figure
from app.governance.spc import Direction, WeeklyPoint, xmr_chart
from app.web import templates

NOISE = [10, 14] * 6 + [10]
MONDAY = date(2025, 1, 6)
MACRO = '{% from "governance/_spc_chart.html" import spc_chart %}'


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class Page(HTMLParser):
    """Every element with its attributes and its own text, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].text += data

    def all(self, tag: str, css_class: str | None = None) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and (css_class is None or css_class in e.classes())
        ]

    def by_id(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.attrs.get("id") == element_id)


def in_the_chart(html: str) -> Page:
    """What is drawn inside the chart's SVG (not the legend's samples nor the icons)."""
    return Page(html.split("</svg>", 1)[0])


def weeks(values: list[float | None]) -> list[WeeklyPoint]:
    return [
        WeeklyPoint(MONDAY + timedelta(weeks=n), v, 0 if v is None else 6)
        for n, v in enumerate(values)
    ]


def figure(values: list[float | None], target: float | None = 12) -> Figure:
    return chart_figure(xmr_chart(weeks(values), target, Direction.higher_is_better))


def render(
    fig: Figure, chart_id: str = "nights", title: str = "Practice score, nights", **kw: object
) -> str:
    template = templates.env.from_string(
        MACRO + "{{ spc_chart(fig, chart_id, title, open_table=open_table) }}"
    )
    return template.render(
        fig=fig, chart_id=chart_id, title=title, open_table=kw.get("open_table", False)
    )


def test_the_svg_names_itself_and_summarises_its_verdicts() -> None:
    fig = figure([*NOISE, 26])
    page = Page(render(fig))
    svg = page.all("svg", "spc-chart__svg")[0]
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-labelledby"] == "nights-title nights-desc"
    assert svg.attrs["viewbox"] == f"0 0 {fig.width} {fig.height}"
    assert "width" not in svg.attrs  # it scales to its container by the viewBox
    assert page.by_id("nights-title").text == "Practice score, nights"
    desc = page.by_id("nights-desc").text
    assert desc == fig.summary
    assert "Special cause improvement" in desc
    assert "Hit and miss against the target of 12" in desc
    assert "1 marked as special cause" in desc
    assert "Latest week with records, 7 Apr 2025: 26." in desc


def test_the_mean_limits_and_target_are_drawn_in_their_places() -> None:
    fig = figure([*NOISE, 26], target=20)
    page = in_the_chart(render(fig))
    guides = {g.attrs["data-guide"]: g for g in page.all("line", "spc-guide")}
    assert set(guides) == {"upper", "mean", "lower", "target"}
    ys = {kind: float(line.attrs["y1"] or 0) for kind, line in guides.items()}
    assert fig.box.top <= ys["upper"] < ys["target"] < ys["mean"] < ys["lower"] <= fig.box.bottom
    assert "spc-guide--limit" in guides["upper"].classes()
    assert "spc-guide--target" in guides["target"].classes()
    labels = [t.text for t in page.all("text", "spc-chart__label")]
    assert labels == ["Upper", "Mean", "Lower", "Target"]


def test_marked_weeks_differ_in_shape_not_only_colour() -> None:
    fig = figure([10, 11] * 5 + [10, 30])  # eleven weeks of concern, then an improvement
    html = render(fig)
    page = in_the_chart(html)
    points = page.all("path", "spc-point")
    concern = [p for p in points if "spc-point--concern" in p.classes()]
    improvement = [p for p in points if "spc-point--improvement" in p.classes()]
    assert (len(points), len(concern), len(improvement)) == (12, 11, 1)
    assert all("L" in (p.attrs["d"] or "") for p in concern)  # triangles
    assert "h" in (improvement[0].attrs["d"] or "")  # a square
    assert page.all("title")[-1].text.startswith("24 Mar 2025: 30, from 6 records. Improvement")
    legend = [
        item.text for item in Page(html).all("span") if item.text.startswith(("Concern", "Improv"))
    ]
    assert legend[-2:] == [
        "Improvement: a pattern too strong to be chance",
        "Concern: a pattern too strong to be chance",
    ]


def test_the_table_has_a_row_a_week_gaps_included() -> None:
    fig = figure([*NOISE[:6], None, *NOISE[6:], 30])
    page = Page(render(fig))
    rows = page.all("tr", "spc-row")
    assert len(rows) == len(fig.rows) == 15
    cells = [e.text for e in page.all("th") + page.all("td")]
    assert "17 Feb 2025" in cells  # the gap week
    gap = fig.rows[6]
    assert (gap.week, gap.value, gap.records, gap.flags) == ("17 Feb 2025", "No records", 0, "Gap")
    assert fig.rows[-1].flags == "Improvement: outside the process limits"
    assert fig.rows[0].flags == "Common cause"
    assert len(fig.lines) == 2  # the line breaks at the gap
    assert len(fig.gaps) == 1
    assert "open" not in page.all("details")[0].attrs
    assert "open" in Page(render(fig, open_table=True)).all("details")[0].attrs


def test_under_twelve_weeks_the_chart_draws_no_limits_and_says_why() -> None:
    fig = figure(NOISE[:8])
    html = render(fig)
    page = Page(html)
    drawn = in_the_chart(html).all("line", "spc-guide")
    assert {g.attrs["data-guide"] for g in drawn} == {"mean", "target"}
    note = "8 weeks have records and 12 are needed, so no process limits are drawn"
    assert note in page.by_id("nights-desc").text
    assert note in html.split("</svg>", 1)[1]  # said beside the chart too
    assert {r.flags for r in fig.rows} == {"Not judged: no process limits yet"}
    assert not in_the_chart(html).all("path", "spc-point--concern")


def test_what_it_is_given_is_escaped() -> None:
    html = render(figure(NOISE), chart_id='x" onload="alert(1)', title="<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="x&#34; onload=&#34;alert(1)"' in html
    assert "onload=" not in Page(html).all("figure")[0].attrs


def test_no_inline_style_or_script_for_the_strict_policy() -> None:
    html = render(figure([*NOISE, None, 26]))
    page = Page(html)
    assert not [e.tag for e in page.elements if "style" in e.attrs]
    assert not page.all("script")
    assert not page.all("style")


def test_the_y_axis_reads_in_round_steps_and_the_x_axis_in_weeks() -> None:
    fig = figure([*NOISE, 26], target=None)
    assert [t.text for t in fig.y_ticks] == ["-10", "0", "10", "20", "30"]
    assert [t.text for t in fig.x_ticks] == ["6 Jan", "3 Feb", "10 Mar", "7 Apr"]
    assert fig.x_title == "Week starting, 2025"
    assert "No target is set." in fig.summary


@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=100)), max_size=60),
    st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
)
def test_any_series_stays_inside_its_box(values: list[float | None], target: float | None) -> None:
    fig = figure(values, target=target)
    inside_x = fig.box.left - 6, fig.box.right + 6
    inside_y = fig.box.top - 6, fig.box.bottom + 6
    for marker in fig.markers:
        assert inside_x[0] <= marker.x <= inside_x[1]
        assert inside_y[0] <= marker.y <= inside_y[1]
    for guide in fig.guides:
        assert inside_y[0] <= guide.y <= inside_y[1]
        assert fig.box.top <= guide.label_y <= fig.box.bottom + 4
    assert len(fig.rows) == len(values) or not values
