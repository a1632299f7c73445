"""The arithmetic of consultation summaries, apart from the database: shares, statistics and a histogram of
numbers, and positions for drawing map points to scale."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_BINS = 10


def percent(part: int, whole: int) -> float:
    return 0.0 if not whole else round(100.0 * part / whole, 1)


def number_stats(values: list[float]) -> dict:
    """Count, mean, median, smallest and largest, and a histogram of at most ``MAX_BINS`` equal bins."""
    if not values:
        return {"count": 0}
    low, high = min(values), max(values)
    stats = {
        "count": len(values),
        "mean": round(statistics.fmean(values), 2),
        "median": round(statistics.median(values), 2),
        "min": low,
        "max": high,
        "bins": [],
    }
    integers = all(float(v).is_integer() for v in values)
    if high == low:
        stats["bins"] = [{"label": _format(low), "count": len(values), "percent": 100.0}]
        return stats
    if integers and high - low + 1 <= MAX_BINS:
        edges = [low + i for i in range(int(high - low) + 2)]
        labels = [_format(e) for e in edges[:-1]]
    else:
        width = (high - low) / MAX_BINS
        if integers:
            width = math.ceil(width)
        edges = [low + i * width for i in range(MAX_BINS + 1)]
        while edges[-2] > high:
            edges.pop()
        edges[-1] = max(edges[-1], high)
        labels = [
            _("%(low)s to %(high)s")
            % {"low": _format(a), "high": _format(high if i == len(edges) - 2 else b - 1 if integers else b)}
            for i, (a, b) in enumerate(zip(edges, edges[1:], strict=False))
        ]
    counts = [0] * (len(edges) - 1)
    for value in values:
        index = min(len(counts) - 1, int((value - low) // (edges[1] - edges[0])))
        counts[index] += 1
    stats["bins"] = [
        {"label": label, "count": n, "percent": percent(n, len(values))}
        for label, n in zip(labels, counts, strict=True)
    ]
    return stats


def _format(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{Decimal(str(round(value, 2))):,}"


def plot_points(points: list[tuple[float, float]], *, size: int = 100, margin: int = 5) -> list[dict]:
    """Positions (0 to ``size``) for drawing points in a square, north at the top, keeping their shape: the
    longer side of the area they cover fills the square. Points at the same place are drawn once, with a
    count. Longitude is narrowed by the cosine of the latitude, so distances look right in Britain."""
    if not points:
        return []
    counts = Counter((round(lat, 5), round(lng, 5)) for lat, lng in points)
    middle = sum(lat for lat, _lng in counts) / len(counts)
    squeeze = math.cos(math.radians(middle))
    xs = [lng * squeeze for _lat, lng in counts]
    ys = [lat for lat, _lng in counts]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    inner = size - 2 * margin
    left = min(xs) - (span - (max(xs) - min(xs))) / 2
    top = max(ys) + (span - (max(ys) - min(ys))) / 2
    return [
        {
            "x": round(margin + (lng * squeeze - left) / span * inner, 2),
            "y": round(margin + (top - lat) / span * inner, 2),
            "count": n,
        }
        for (lat, lng), n in counts.items()
    ]
