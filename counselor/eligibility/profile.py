"""The citizen's profile: facts stated in the conversation, each with the message it came from.

``None`` means not known yet (never "no"). Income is kept as a band once the household's size is known: the
share of the standard median income between the two nearest thresholds any policy's criteria use, so every
verdict that depended on the exact amount comes out the same and the amount itself is not stored.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Disability = Literal["none", "mild", "severe", "unspecified"]  # someone in the household; grade unknown


class Child(BaseModel):
    model_config = ConfigDict(extra="forbid")

    age_years: int | None = Field(default=None, ge=0, le=40)
    age_months: int | None = Field(default=None, ge=0, le=480)
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
    text: str = Field(default="", description="the citizen's words the fact came from")


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    age: int | None = Field(default=None, ge=0, le=120)
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
    sido: str | None = None
    district: str | None = None
    sources: dict[str, FactSource] = Field(default_factory=dict)

    def known(self) -> dict[str, object]:
        """The facts set, by name (for the citizen to see and correct)."""
        return {k: v for k, v in self.model_dump(exclude={"sources"}).items() if v is not None}

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
        data = self.model_dump()
        household_news = bool(update.children) or update.couple is True or update.single_parent is True
        if household_news and update.household_size is None and update.lives_alone is None:
            data["lives_alone"], data["household_size"] = False, None
            if self.income_band is not None:
                data["income_band"] = None
        for name, value in update.model_dump(exclude={"sources"}).items():
            if value is not None:
                data[name] = value
                if name in update.sources:
                    data["sources"][name] = update.sources[name].model_dump()
        return Profile.model_validate(data)
