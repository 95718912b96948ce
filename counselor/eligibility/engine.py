"""Verdicts: a profile against a policy's criteria, each criterion met, not met or unknown, with the fact used
and the policy's own sentence. Deterministic; the year's reference tables are explicit.

    eligible      every criterion met (and none judged only on income the citizen stated)
    likely        nothing fails; what is open or judged on stated income is the means test, which the
                  office settles after applying (소득인정액 counts assets too), or a condition the policy
                  leaves to the office (``office: true``: a residence period, a selection tool)
    not_eligible  a criterion is not met
    unknown       a criterion other than the means test is open: the next question asks for it
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel

from counselor.eligibility.criteria import OFFICE_DECIDES, Criterion
from counselor.eligibility.means import MeansTest
from counselor.eligibility.profile import Profile
from counselor.eligibility.reference import ReferenceTables

Outcome = Literal["met", "not_met", "unknown"]
VerdictKind = Literal["eligible", "likely", "not_eligible", "unknown"]
RANK: dict[str, int] = {"eligible": 0, "likely": 1, "unknown": 2, "not_eligible": 3}
# Which fact to ask for first when several would settle the same number of verdicts.
FACT_ORDER = ("age", "children", "child_age", "household", "residence", "disability", "income", "recipient",
              "pregnant", "veteran", "crisis")  # fmt: skip
_HOUSEHOLD_FLAG = {
    "single": "lives_alone",
    "couple": "couple",
    "single_parent": "single_parent",
    "grandparent": "grandparent",
    "multiple_births": "multiple_births",
}


class CriterionResult(BaseModel):
    fact: str
    outcome: Outcome
    value: object = None  # the profile's fact used, as stored
    source: str
    any_group: str | None = None
    on_stated_income: bool = False
    office: bool = False  # settled by the office after applying: open, it leaves the verdict likely
    ceiling_only: bool = False  # an age with no lower bound (만 34세 이하): met, it says little about who asks


class Verdict(BaseModel):
    policy_id: str
    title: str
    verdict: VerdictKind
    criteria: list[CriterionResult]
    missing: list[str]  # facts that would settle what is open


@dataclass(frozen=True)
class PolicyCriteria:
    policy_id: str
    title: str
    criteria: tuple[Criterion, ...]
    sido: str | None = None
    district: str | None = None
    title_en: str | None = None
    names: tuple[str, ...] = ()  # what citizens call it besides its title


def _range(c: Criterion, value: float) -> bool:
    if c.min is not None and value < c.min:
        return False
    if c.max is not None and value > c.max:
        return False
    return not (c.below is not None and value >= c.below)


def _specific(verdict: Verdict) -> int:
    """Criteria met that say something about the citizen (living in the city alone says little)."""
    return sum(c.outcome == "met" and c.fact != "residence" for c in verdict.criteria)


def _says_who(verdict: Verdict) -> bool:
    """Whether a criterion met says who the program is for: an age under a ceiling alone does not (K-Move 스쿨's
    만 34세 이하 holds for a two-year-old, and for everyone young); living in the city does, for its own
    programs."""
    return any(c.outcome == "met" and not c.ceiling_only for c in verdict.criteria)


def unmodelled(result: CriterionResult) -> bool:
    """A condition no fact of a profile describes, still open: the office confirms it when one applies."""
    return result.outcome == "unknown" and result.fact == "other"


def _office(result: CriterionResult) -> bool:
    """Open, this criterion leaves the verdict likely: the office settles it after applying."""
    return result.fact in OFFICE_DECIDES or result.office


def _flag(value: bool | None) -> Outcome:
    return "unknown" if value is None else "met" if value else "not_met"


class EligibilityEngine:
    def __init__(
        self, policies: Iterable[PolicyCriteria], tables: ReferenceTables, today: Callable[[], date] = date.today
    ) -> None:
        # Every program the engine was given, for naming; verdicts only for those with criteria.
        self.programs = {p.policy_id: p for p in policies}
        self.policies = {p.policy_id: p for p in self.programs.values() if p.criteria}
        self.tables = tables
        self.today = today
        self.means = MeansTest(tables, lambda: (c for p in self.policies.values() for c in p.criteria))

    # Income (means.py) ---------------------------------------------------------------------------------------
    def thresholds(self, size: int) -> list[float]:
        return self.means.thresholds(size)

    def income_band(self, income: int, size: int) -> tuple[float, float]:
        return self.means.income_band(income, size)

    # One criterion ----------------------------------------------------------------------------------------------
    def check(self, c: Criterion, p: Profile, today: date | None = None) -> CriterionResult:
        outcome: Outcome
        value: object = None
        if c.fact == "age":
            value = p.age
            outcome = "unknown" if p.age is None else "met" if _range(c, p.age) else "not_met"
        elif c.fact == "child_age":
            outcome, value = self._child_age(c, p, today or self.today())
        elif c.fact == "children":
            value = None if p.children is None else len(p.children)
            outcome = "unknown" if value is None else "met" if _range(c, float(len(p.children or []))) else "not_met"
        elif c.fact == "income":
            outcome, value = self.means.income(c, p)
        elif c.fact == "recipient":
            value = p.recipient
            outcome = (
                "unknown" if p.recipient is None else "met" if set(p.recipient) & set(c.any_of or ()) else "not_met"
            )
            if p.recipient is None and self.means.above_poverty_line(p, c.any_of or ()):
                # "월 400만 원, 3인 가구": clearly above every line these benefits have, so none is received.
                outcome, value = "not_met", {"income_band": p.income_band, "monthly_income": p.monthly_income}
        elif c.fact == "condition":
            value = (p.conditions or {}).get(c.name or "")
            wanted = True if c.value is None else c.value
            outcome = "unknown" if value is None else "met" if value == wanted else "not_met"
        elif c.fact == "household":
            # No children: neither a single parent nor raising grandchildren.
            flags = [
                False if k in ("single_parent", "grandparent") and p.children == [] else getattr(p, _HOUSEHOLD_FLAG[k])
                for k in c.any_of or ()
            ]
            value = {k: getattr(p, _HOUSEHOLD_FLAG[k]) for k in c.any_of or ()}
            outcome = "met" if any(flags) else "not_met" if all(f is False for f in flags) else "unknown"
        elif c.fact == "disability":
            value = p.disability
            kinds = set(c.any_of or ())
            if p.disability is None or (p.disability == "unspecified" and kinds != {"mild", "severe"}):
                outcome = "unknown"
            else:
                outcome = "met" if p.disability in kinds or p.disability == "unspecified" else "not_met"
        elif c.fact in ("veteran", "pregnant", "crisis"):
            value = getattr(p, c.fact)
            outcome = _flag(value)  # type: ignore[arg-type]
        elif c.fact == "other":
            outcome = "unknown"
        else:  # residence
            value = " ".join(x for x in (p.sido, p.district) if x) or None
            if p.sido is None:
                outcome = "unknown"
            elif p.sido != c.sido:
                outcome = "not_met"
            elif c.district is None:
                outcome = "met"
            else:
                outcome = "unknown" if p.district is None else "met" if p.district == c.district else "not_met"
        stated = c.fact == "income" and outcome == "met"
        return CriterionResult(
            fact=c.fact,
            outcome=outcome,
            value=value,
            source=c.source,
            any_group=c.any_group,
            on_stated_income=stated,
            office=bool(c.office),
            ceiling_only=c.fact == "age" and c.min is None,
        )

    def _child_age(self, c: Criterion, p: Profile, today: date) -> tuple[Outcome, object]:
        if p.children is None:
            return "unknown", None
        if not p.children:
            return "not_met", []
        outcomes: list[Outcome] = []
        ages: list[int | None] = []
        for child in p.children:
            months = child.months(today)
            if months is None:
                outcomes.append("unknown")
                ages.append(None)
                continue
            ages.append(months)
            value = months if c.unit == "months" else months // 12
            if c.unit == "months" and not child.whole_months_known() and child.age_years is not None:
                # "3살" is 36 to 47 months: a months bound inside that year cannot be settled.
                low, high = child.age_years * 12, child.age_years * 12 + 11
                inside = [_range(c, m) for m in (low, high)]
                outcomes.append("met" if all(inside) else "not_met" if not any(inside) else "unknown")
                continue
            outcomes.append("met" if _range(c, value) else "not_met")
        outcome: Outcome = "met" if "met" in outcomes else "unknown" if "unknown" in outcomes else "not_met"
        return outcome, {"months": ages}

    # A policy -------------------------------------------------------------------------------------------------------
    def verdict(self, profile: Profile, policy_id: str, today: date | None = None) -> Verdict | None:
        """``today``: the date children's ages are counted on (default: the engine's clock)."""
        policy = self.policies.get(policy_id)
        if policy is None:
            return None
        day = today or self.today()
        results = [self.check(c, profile, day) for c in policy.criteria]
        units: dict[str, list[CriterionResult]] = {}
        for i, r in enumerate(results):
            units.setdefault(r.any_group or f"#{i}", []).append(r)
        unit_outcomes: list[tuple[Outcome, list[CriterionResult]]] = []
        for members in units.values():
            outs = [m.outcome for m in members]
            combined: Outcome = "met" if "met" in outs else "unknown" if "unknown" in outs else "not_met"
            unit_outcomes.append((combined, members))
        open_units = [members for outcome, members in unit_outcomes if outcome == "unknown"]
        missing = sorted({m.fact for members in open_units for m in members if m.outcome == "unknown" and not m.office})
        kind: VerdictKind
        if any(outcome == "not_met" for outcome, _ in unit_outcomes):
            kind = "not_eligible"
        elif not open_units:
            on_income = any(m.on_stated_income for outcome, ms in unit_outcomes for m in ms if outcome == "met")
            kind = "likely" if on_income else "eligible"
        elif len(open_units) < len(units) and all(_office(m) or unmodelled(m) for ms in open_units for m in ms):
            kind = "likely"  # what is open the office settles on applying (the means test, an `other` condition)
        else:
            kind = "unknown"
        return Verdict(policy_id=policy_id, title=policy.title, verdict=kind, criteria=results, missing=missing)

    def in_region(self, policy: PolicyCriteria, profile: Profile) -> bool:
        if policy.sido is None:
            return True
        if profile.sido is None:
            return False  # a city's own program is offered only to someone known to live there
        return policy.sido == profile.sido and (policy.district is None or policy.district == profile.district)

    def all(self, profile: Profile, policy_ids: Iterable[str] | None = None) -> list[Verdict]:
        ids = list(policy_ids) if policy_ids is not None else list(self.policies)
        verdicts = [self.verdict(profile, pid) for pid in ids]
        return [v for v in verdicts if v is not None]

    def discover(self, profile: Profile, exclude: Iterable[str] = (), limit: int = 3) -> list[Verdict]:
        """The policies this profile is eligible or likely eligible for, best first: eligible before likely,
        then the ones that asked more of the citizen (more criteria met: more specific to them). Not one
        likely only on a condition no profile fact describes: 노인 틀니 지원 for everyone over 65, whatever their
        teeth, is news to no one; asked about, its verdict names the condition (steps/eligibility.py)."""
        skip = set(exclude)
        found = [
            v
            for pid, policy in self.policies.items()
            if pid not in skip and self.in_region(policy, profile)
            for v in [self.verdict(profile, pid)]
            if v is not None
            and v.verdict in ("eligible", "likely")
            and not any(unmodelled(c) for c in v.criteria)
            and _says_who(v)
        ]
        found.sort(key=lambda v: (RANK[v.verdict], -_specific(v), v.title))
        return found[:limit]

    def next_question(self, verdicts: Iterable[Verdict]) -> str | None:
        """The one fact that would settle the most open verdicts among these."""
        counts = Counter(
            f for v in verdicts if v.verdict in ("unknown", "likely") for f in v.missing if f not in ("other",)
        )
        if not counts:
            return None
        return max(counts, key=lambda f: (counts[f], -FACT_ORDER.index(f) if f in FACT_ORDER else -99))
