"""A bar chart drawn on the server as SVG: no script, no inline style, a text alternative.

Altair and vl-convert are not installed here; the evaluation needs one simple chart — per
module, persons taking part and persons with a success — which plain SVG draws well. The
template renders the geometry computed here; the table next to it holds every figure.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 220
BAR_AREA = 420
VALUE_WIDTH = 60
BAR_HEIGHT = 16
GAP = 4
GROUP_GAP = 14
TOP = 8


@dataclass(frozen=True)
class Bar:
    series: str  # "active" or "successes": the CSS class that colours it
    value: int
    x: int
    y: int
    width: int
    height: int

    @property
    def value_x(self) -> int:
        return self.x + self.width + 6

    @property
    def value_y(self) -> int:
        return self.y + self.height - 3


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    groups: list[Group]
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def bar_chart(rows: list[tuple[str, dict[str, int]]], series: tuple[str, ...]) -> BarChart:
    """Horizontal bars, one group per row, one bar per series, scaled to the largest value."""
    largest = max((values[s] for _, values in rows for s in series), default=0) or 1
    groups = []
    y = TOP
    for label, values in rows:
        bars = []
        for name in series:
            width = round(values[name] * BAR_AREA / largest)
            bars.append(
                Bar(
                    series=name,
                    value=values[name],
                    x=LABEL_WIDTH,
                    y=y,
                    width=width,
                    height=BAR_HEIGHT,
                )
            )
            y += BAR_HEIGHT + GAP
        group_height = len(series) * (BAR_HEIGHT + GAP) - GAP
        groups.append(Group(label=label, label_y=y - GAP - group_height // 2 + 4, bars=bars))
        y += GROUP_GAP
    return BarChart(groups=groups, width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, height=y + TOP)
