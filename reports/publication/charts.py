"""Small line charts drawn on the server as SVG, so they show without JavaScript and print as they look."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 26
# Colours told apart by readers with the common colour-vision deficiencies (Okabe–Ito).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")

Number = int | Decimal | float


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: int
    value: Number


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    path: str
    points: list[Point]
    values: list[Number | None]


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    years: list[tuple[float, int]]
    ticks: list[tuple[float, str]]
    lines: list[Line]
    baseline: float
    left: int
    right: float


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _label(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 10_000:g}万"


def line_chart(title: str, years: list[int], series: list[tuple[str, list[Number | None]]]) -> Chart | None:
    """One line per series over the years; a missing value leaves a gap. None when there is nothing to draw."""
    known = [float(v) for _, values in series for v in values if v is not None]
    if not years or not known:
        return None
    top = _nice_ceiling(max(known))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(years) - 1, 1)
    xs = [LEFT + (i * step if len(years) > 1 else plot_width / 2) for i in range(len(years))]

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (1 - value / top), 1)

    lines = []
    for (label, values), colour in zip(series, COLOURS * 4, strict=False):
        points = [
            Point(round(x, 1), y_of(float(v)), year, v)
            for x, year, v in zip(xs, years, values, strict=True)
            if v is not None
        ]
        path, pen_down = [], False
        for x, value in zip(xs, values, strict=True):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x:.1f} {y_of(float(value))}")
            pen_down = True
        lines.append(Line(label, colour, " ".join(path), points, list(values)))
    # Counts of cases get no tick between whole numbers.
    whole = all(v == int(v) for v in known)
    ticks = [(y_of(top * s), _label(top * s)) for s in (0, 0.5, 1) if not whole or top * s == int(top * s)]
    return Chart(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        years=[(round(x, 1), year) for x, year in zip(xs, years, strict=True)],
        ticks=ticks,
        lines=lines,
        baseline=y_of(0),
        left=LEFT,
        right=WIDTH - RIGHT,
    )
