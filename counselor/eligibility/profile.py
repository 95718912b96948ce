"""The citizen's profile: facts stated in the conversation, each with the message it came from.

``None`` means not known yet (never "no"). Income is kept as a band once the household's size is known: the
share of the standard median income between the two nearest thresholds any policy's criteria use, so every
verdict that depended on the exact amount comes out the same and the amount itself is not stored.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from counselor.jsontypes import JsonObject

_STATE = {"sources", "others", "subject", "asked"}
Disability = Literal["none", "mild", "severe", "unspecified"]  # someone in the household; grade unknown


# A "child" older than this is a grown-up of their own ("my 90-year-old grandmother"); no one is older than
# OLDEST_AGE ("남편이 300 벌어 와요" is money, not an age).
OLDEST_CHILD_YEARS = 40
OLDEST_AGE = 120


class Child(BaseModel):
    model_config = ConfigDict(extra="forbid")

    age_years: int | None = Field(default=None, ge=0, le=OLDEST_CHILD_YEARS)
    age_months: int | None = Field(default=None, ge=0, le=OLDEST_CHILD_YEARS * 12)
    birth: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$", description="year and month of birth")

    def months(self, today: date) -> int | None:
        if self.birth is not None:
            year, month = (int(p) for p in self.birth.split("-"))
            return (today.year - year) * 12 + (today.month - month)
        if self.age_months is not None:
            return self.age_months
        return self.age_years * 12 if self.age_years is not None else None

    def whole_months_known(self) -> bool:
        return self.birth is not None or self.age_months is not None


class FactSource(BaseModel):
    message_id: str | None = None
    text: str = Field(default="", description="the citizen's message the fact came from")
    words: str = Field(default="", description="the words of that message that state the fact")


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    age: int | None = Field(default=None, ge=0, le=OLDEST_AGE)
    children: list[Child] | None = None
    household_size: int | None = Field(default=None, ge=1, le=20)
    lives_alone: bool | None = None
    couple: bool | None = None
    single_parent: bool | None = None
    grandparent: bool | None = None
    multiple_births: bool | None = None
    monthly_income: int | None = Field(default=None, ge=0, description="won; dropped once the band is known")
    income_band: tuple[float, float] | None = Field(
        default=None, description="(lower, upper] share of the standard median income for the household's size"
    )
    recipient: list[str] | None = None
    disability: Disability | None = None
    veteran: bool | None = None
    pregnant: bool | None = None
    crisis: bool | None = Field(default=None, description="a sudden crisis: job lost, main earner died, fire, violence")
    conditions: dict[str, bool] | None = Field(
        default=None, description="conditions no number describes, as said: daycare, dual_income ... (conditions.py)"
    )
    sido: str | None = None
    district: str | None = None
    sources: dict[str, FactSource] = Field(default_factory=dict)
    # Other people the citizen asks about ("우리 엄마가 72세"), each a profile of their own, by relation
    # (mother, father, husband ...); ``subject`` is whom the conversation is about now, ``asked`` the fact the
    # bot's last question asked for, which the citizen's next short reply answers.
    others: dict[str, Profile] | None = None
    subject: str | None = Field(default=None, description="a relation; None: the citizen themselves")
    asked: str | None = None

    def known(self) -> JsonObject:
        """The facts set, by name (for the citizen to see and correct); other people's under ``others``."""
        facts = {k: v for k, v in self.model_dump(exclude=_STATE).items() if v is not None}
        people = {who: p.known() for who, p in (self.others or {}).items() if p.known()}
        return facts | ({"others": people} if people else {})

    def about(self, subject: str | None = None) -> Profile:
        """The profile of the person the question is about (the citizen's own for "self")."""
        who = subject or self.subject or "self"
        return self if who == "self" else (self.others or {}).get(who, Profile())

    def size(self) -> int | None:
        """The household's size: stated, or counted from what is known (one person living alone, a single
        parent and the children, a couple)."""
        if self.household_size is not None:
            return self.household_size
        if self.lives_alone:
            return 1
        if self.children is not None and (self.single_parent or self.couple is not None):
            return len(self.children) + (1 if self.single_parent else 2 if self.couple else 1)
        if self.couple and self.children == []:
            return 2
        return None

    def merge(self, update: Profile) -> Profile:
        """A newer statement replaces an older one, fact by fact; nothing is asked twice. A new household
        (children, a partner, a single parent) clears the household's size and living alone unless restated,
        and with the size goes the income band computed for it."""
        data = self.model_dump(exclude={"others"})
        data["others"] = self.others
        # A child's age given later ("네 살이요") is no news about the household; more children are.
        more_children = bool(update.children) and len(update.children or []) != len(self.children or [])
        household_news = (
            more_children
            or (update.couple is True and not self.couple)
            or (update.single_parent is True and not self.single_parent)
        )
        if household_news and update.household_size is None and update.lives_alone is None:
            # The size said before stands when the news fits in it ("다섯 식구예요" then "남편 혼자 버는데").
            kids = len(update.children if update.children is not None else self.children or [])
            least = kids + (2 if (update.couple or self.couple) else 1)
            data["lives_alone"] = False
            if self.lives_alone or (self.household_size is not None and self.household_size < least):
                data["household_size"] = None
                if self.income_band is not None:
                    data["income_band"] = None
        for name, value in update.model_dump(exclude=_STATE).items():
            if value is not None:
                data[name] = {**(self.conditions or {}), **value} if name == "conditions" else value
                if name in update.sources:
                    data["sources"][name] = update.sources[name].model_dump()
        return Profile.model_validate(data)
