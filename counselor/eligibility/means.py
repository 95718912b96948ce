"""The means test from what the citizen said: income against a share of the median for the household's size
or against amounts in won (the basic pension's 선정기준액), and a benefit the tables settle without being
said: a household earning clearly above the widest line of 기초생활보장 and 차상위 (50% of the median) receives
none of them ("월 400만 원, 3인 가구" is no 차상위 household).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from counselor.eligibility.criteria import Criterion
from counselor.eligibility.profile import Profile
from counselor.eligibility.reference import ReferenceTables

Outcome = Literal["met", "not_met", "unknown"]
# The benefits a household below 50% of the median may receive (교육급여 and 차상위, the widest of them).
POVERTY_LINE = 0.5
_POVERTY_KINDS = frozenset({"livelihood", "medical", "housing", "education", "near_poverty"})


class MeansTest:
    def __init__(self, tables: ReferenceTables, criteria: Callable[[], Iterable[Criterion]]) -> None:
        self.tables = tables
        self.criteria = criteria

    def thresholds(self, size: int) -> list[float]:
        """Every income threshold the criteria use, as shares of the median for this household size."""
        median = self.tables.median(size)
        edges = {0.0, POVERTY_LINE}
        for c in self.criteria():
            if c.fact != "income":
                continue
            if c.of == "median_income" and c.max is not None:
                edges.add(c.max)
            else:
                limits = self.won_limits(c)
                edges.update(v / median for v in limits.values() if v is not None)
        return sorted(edges)

    def income_band(self, income: int, size: int) -> tuple[float, float]:
        share = income / self.tables.median(size)
        edges = self.thresholds(size)
        lower = max((e for e in edges if e < share), default=0.0)
        upper = min((e for e in edges if e >= share), default=float("inf"))
        return (lower, upper)

    def won_limits(self, c: Criterion) -> dict[str, int | None]:
        if c.of == "basic_pension":
            factor = c.max or 1.0
            return {
                "single": int(self.tables.pension_single * factor),
                "couple": int(self.tables.pension_couple * factor),
            }
        return {"single": c.single, "couple": c.couple if c.couple is not None else c.single}

    def income(self, c: Criterion, p: Profile) -> tuple[Outcome, object]:
        size = p.size()
        if p.monthly_income is None and p.income_band is None:
            return "unknown", None
        if p.monthly_income is None and p.income_band is not None and c.of == "median_income" and c.max is not None:
            # A share of the median (said so: "중위소득 60%", or worked out from an amount) needs no household size.
            low, high = p.income_band
            return ("met" if high <= c.max else "not_met" if low >= c.max else "unknown"), {
                "income_band": p.income_band
            }
        if size is None and (c.of == "median_income" or p.monthly_income is None):
            return "unknown", None  # a share of the median needs the household's size; amounts in won do not
        median = self.tables.median(size or 1)
        if c.of == "median_income":
            # The official tables round each share to the won ("2인 기준 232만 44원" for 63%).
            limit = float(round((c.max or 0.0) * median))
        else:
            kind = "couple" if p.couple else "single" if (p.lives_alone or p.couple is False) else None
            if kind is None:
                # Single or couple not said: an amount above both lines fails either way, below both meets.
                limits = [v for v in self.won_limits(c).values() if v is not None]
                if p.monthly_income is None or not limits:
                    return "unknown", None
                if p.monthly_income > max(limits):
                    return "not_met", {"monthly_income": p.monthly_income}
                if p.monthly_income <= min(limits):
                    return "met", {"monthly_income": p.monthly_income}
                return "unknown", None
            limit_or_none = self.won_limits(c)[kind]
            if limit_or_none is None:
                return "unknown", None
            limit = float(limit_or_none)
        if p.monthly_income is not None:
            return ("met" if p.monthly_income <= limit else "not_met"), {"monthly_income": p.monthly_income}
        assert p.income_band is not None
        low, high = (b * median for b in p.income_band)
        outcome: Outcome = "met" if high <= limit + 0.5 else "not_met" if low >= limit - 0.5 else "unknown"
        return outcome, {"income_band": p.income_band}

    def above_poverty_line(self, p: Profile, kinds: Iterable[str]) -> bool:
        """Whether the stated income rules out every benefit in ``kinds``: all of them are 기초생활보장 or 차상위
        and the household earns clearly above 50% of the median for its size."""
        if not set(kinds) <= _POVERTY_KINDS:
            return False
        size = p.size()
        if size is None:
            return False
        if p.monthly_income is not None:
            return p.monthly_income > POVERTY_LINE * self.tables.median(size)
        return p.income_band is not None and p.income_band[0] >= POVERTY_LINE
