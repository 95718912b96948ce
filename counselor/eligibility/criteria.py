"""Criteria as data: what a policy asks of a citizen, each with the sentence of the policy it comes from.

A policy's criteria live in its knowledge file's front matter (``eligibility:``) and are validated on ingest:
an unknown fact or key, a value outside what the fact allows or an impossible range is an error that names
the file. Criteria sharing an ``any_group`` are alternatives (one of them must hold); the rest must all hold.

    eligibility:
      - {fact: age, min: 65, source: "만 65세 이상"}
      - {fact: income, max: 1.0, of: basic_pension, source: "소득인정액이 선정기준액 이하"}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from counselor.eligibility.conditions import ConditionName

FactName = Literal[
    "age", "child_age", "children", "income", "recipient", "household", "disability", "veteran", "pregnant",
    "crisis", "residence", "condition", "other",
]  # fmt: skip
RECIPIENT = ("livelihood", "medical", "housing", "education", "near_poverty", "basic_pension")
HOUSEHOLD = ("single", "couple", "single_parent", "grandparent", "multiple_births")
DISABILITY = ("mild", "severe")
# The means test, settled by the office after applying (소득인정액 counts assets too): open or judged on stated
# income, it leaves a verdict "likely". A condition no fact describes ("other": 보건소에 등록한, 돌봄이 필요한,
# a grade a test gives) cannot be judged from a profile at all and cannot be asked, so beside conditions met it
# leaves the verdict "likely" too, the reply naming it as what the office confirms on applying (as
# ``office: true`` does: a residence period, a selection tool); people who wrote verdicts from the programs'
# files called these likely, not unknown. A ``condition`` (conditions.py) is one the citizen's words can state.
OFFICE_DECIDES: frozenset[str] = frozenset({"income"})

_RANGE_FACTS = {"age": 120, "child_age": 216, "children": 20, "income": 3.0}
_KEYS: dict[str, set[str]] = {
    "age": {"min", "max", "below"},
    "child_age": {"min", "max", "below", "unit"},
    "children": {"min", "max"},
    "income": {"max", "of", "single", "couple"},
    "recipient": {"any_of"},
    "household": {"any_of"},
    "disability": {"any_of"},
    "veteran": set(),
    "pregnant": set(),
    "crisis": set(),
    "residence": {"sido", "district"},
    "condition": {"name", "value"},
    "other": {"office"},
}
_CHOICES = {"recipient": RECIPIENT, "household": HOUSEHOLD, "disability": DISABILITY}


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: FactName
    min: float | None = Field(default=None, description="inclusive lower bound")
    max: float | None = Field(default=None, description="inclusive upper bound; for income a share (1.0 = 100%)")
    below: float | None = Field(default=None, description="exclusive upper bound: 만 8세 미만 is below 8")
    unit: Literal["years", "months"] = "years"
    of: Literal["median_income", "basic_pension", "won"] | None = Field(
        default=None, description="income: a share of the median, the basic pension threshold, or amounts in won"
    )
    single: int | None = Field(default=None, ge=0, description="income of: won — the single household's limit")
    couple: int | None = Field(default=None, ge=0, description="income of: won — the couple's limit")
    any_of: tuple[str, ...] | None = None
    sido: str | None = None
    district: str | None = None
    any_group: str | None = Field(default=None, description="criteria with the same group are alternatives")
    name: ConditionName | None = Field(default=None, description="condition: which (conditions.py)")
    value: bool | None = Field(default=None, description="condition: whether it must hold (default true)")
    office: bool | None = Field(default=None, description="other: the office settles it after applying")
    source: str = Field(min_length=2, description="the policy's own words this criterion comes from")

    @model_validator(mode="after")
    def _fits_its_fact(self) -> Criterion:
        keys = (
            "min",
            "max",
            "below",
            "of",
            "any_of",
            "sido",
            "district",
            "single",
            "couple",
            "name",
            "value",
            "office",
        )
        given = {k for k in keys if getattr(self, k) is not None}
        if self.unit != "years":
            given.add("unit")
        extra = given - _KEYS[self.fact]
        if extra:
            raise ValueError(f"{self.fact} takes no {', '.join(sorted(extra))}")
        if self.fact == "income" and self.of == "won":
            if self.single is None or self.max is not None:
                raise ValueError("income of: won needs single (and couple), not max")
        elif self.fact in _RANGE_FACTS and self.min is None and self.max is None and self.below is None:
            raise ValueError(f"{self.fact} needs min, max or below")
        limit = _RANGE_FACTS.get(self.fact)
        for name in ("min", "max", "below"):
            value = getattr(self, name)
            if value is not None and (value < 0 or (limit is not None and value > limit)):
                raise ValueError(f"{self.fact} {name} {value:g} is outside 0..{limit}")
        upper = self.below if self.below is not None else self.max
        empty = upper is not None and self.min is not None and (upper < self.min or (upper == self.min and self.below))
        if empty:
            raise ValueError(f"{self.fact}: an empty range ({self.min:g} to {upper:g})")
        if self.fact == "income" and self.of is None:
            raise ValueError("income needs of: median_income, basic_pension or won")
        if self.fact == "income" and self.of == "basic_pension" and self.max is None:
            raise ValueError("income of: basic_pension needs max (1.0 = the threshold)")
        choices = _CHOICES.get(self.fact)
        if choices is not None:
            if not self.any_of:
                raise ValueError(f"{self.fact} needs any_of")
            unknown = set(self.any_of) - set(choices)
            if unknown:
                raise ValueError(f"{self.fact}: unknown {', '.join(sorted(unknown))} (one of {', '.join(choices)})")
        if self.fact == "residence" and not self.sido:
            raise ValueError("residence needs sido")
        if self.fact == "condition" and self.name is None:
            raise ValueError("condition needs name")
        return self
