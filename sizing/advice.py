"""Size advice: the shopper's measurements against a product's size chart (no Django, no I/O).

For each garment kind only the measurements that decide its fit count (a top: chest and waist; a
bottom: waist and hips, with the inseam for the length; a dress: chest, waist and hips). Chart
ranges are inclusive. A size fits when every counted measurement is inside its range; when none
does, the smallest size that is nowhere tight is advised, with the size below it named as the
closer fit ("between M and L: L for a looser fit"). Figures in the top tenth of a range read as
"snug", below a range as "loose".
"""

from __future__ import annotations

from dataclasses import dataclass, field

MEASURES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "top": ("chest", "waist"),
    "outerwear": ("chest", "waist"),
    "bottom": ("waist", "hips", "inseam"),
    "dress": ("chest", "waist", "hips"),
    "full_outfit": ("chest", "waist", "hips", "inseam"),
}
LABEL = {"chest": "chest", "waist": "waist", "hips": "hips", "inseam": "leg length"}
SNUG_FRACTION = 0.1


@dataclass(frozen=True)
class ChartRow:
    size: str
    ranges: dict[str, tuple[float | None, float | None]]  # measure -> (min, max), cm


@dataclass(frozen=True)
class SizeAdvice:
    status: str  # recommended | between | out_of_range | no_chart | no_measurements
    size: str | None
    note: str
    other_size: str | None = None  # the closer (between) or the nearest (out of range) size
    details: dict[str, str] = field(default_factory=dict)  # measure -> "snug" | "loose" | "tight"

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "size": self.size,
            "other_size": self.other_size,
            "note": self.note,
            "details": dict(self.details),
        }


NO_CHART = SizeAdvice(
    status="no_chart", size=None, note="No size chart for this product: we cannot advise a size."
)
NO_MEASUREMENTS = SizeAdvice(
    status="no_measurements",
    size=None,
    note="Add your height and a full-body photo to see your size.",
)


def _deviation(value: float, low: float | None, high: float | None) -> float:
    """cm beyond the range: positive = the garment is tight, negative = loose, 0 = inside."""
    if high is not None and value > high:
        return value - high
    if low is not None and value < low:
        return value - low
    return 0.0


def advise_size(measurements: dict[str, float], kind: str, chart: list[ChartRow]) -> SizeAdvice:
    """The size of ``chart`` (ordered small to large) for ``measurements`` (cm) and a garment ``kind``."""
    if not chart:
        return NO_CHART
    wanted = MEASURES_FOR_KIND.get(kind, ("chest", "waist", "hips"))
    used = [m for m in wanted if any(row.ranges.get(m, (None, None)) != (None, None) for row in chart)]
    if not used:
        return NO_CHART
    known = [m for m in used if measurements.get(m) is not None]
    if not known:
        return NO_MEASUREMENTS
    deviations = [
        {m: _deviation(float(measurements[m]), *row.ranges.get(m, (None, None))) for m in known}
        for row in chart
    ]
    fitting = [i for i, d in enumerate(deviations) if all(v == 0 for v in d.values())]
    if fitting:
        index = fitting[0]
        details = _snug(measurements, chart[index], known)
        note = f"{chart[index].size} fits you"
        if details:
            note += ": " + ", ".join(f"{word} at the {LABEL[m]}" for m, word in details.items())
        return SizeAdvice(status="recommended", size=chart[index].size, note=note + ".", details=details)
    roomy = [i for i, d in enumerate(deviations) if all(v <= 0 for v in d.values())]
    if not roomy:
        largest = chart[-1]
        tight = {m: "tight" for m, v in deviations[-1].items() if v > 0}
        where = ", ".join(LABEL[m] for m in tight)
        return SizeAdvice(
            status="out_of_range",
            size=None,
            other_size=largest.size,
            note=f"Even the largest size ({largest.size}) is small for you at the {where}.",
            details=tight,
        )
    index = roomy[0]
    loose = {m: "loose" for m, v in deviations[index].items() if v < 0}
    if index == 0:
        where = ", ".join(LABEL[m] for m in loose)
        return SizeAdvice(
            status="recommended",
            size=chart[0].size,
            note=f"{chart[0].size}, the smallest size, may be loose at the {where}.",
            details=loose,
        )
    closer = chart[index - 1].size
    size = chart[index].size
    tight_below = [LABEL[m] for m, v in deviations[index - 1].items() if v > 0]
    note = (
        f"Between {closer} and {size}: {size} for a looser fit, "
        f"{closer} snug at the {', '.join(tight_below)}."
    )
    return SizeAdvice(status="between", size=size, other_size=closer, note=note, details=loose)


def _snug(measurements: dict[str, float], row: ChartRow, known: list[str]) -> dict[str, str]:
    details = {}
    for m in known:
        low, high = row.ranges.get(m, (None, None))
        bounded = low is not None and high is not None and high > low
        if bounded and float(measurements[m]) >= high - SNUG_FRACTION * (high - low):
            details[m] = "snug"
    return details
