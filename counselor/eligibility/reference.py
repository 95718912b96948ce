"""Reference tables the criteria use, one file per table and year (knowledge/reference/*-<year>.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from counselor.errors import ConfigError
from counselor.jsontypes import JsonObject


@dataclass(frozen=True)
class ReferenceTables:
    year: int
    median_income: dict[int, int]  # household size -> won per month
    per_additional_member: int
    pension_single: int
    pension_couple: int

    def median(self, household_size: int) -> int:
        size = max(1, household_size)
        top = max(self.median_income)
        if size <= top:
            return self.median_income[size]
        return self.median_income[top] + (size - top) * self.per_additional_member

    @classmethod
    def load(cls, folder: Path, year: int) -> ReferenceTables:
        def read(name: str) -> JsonObject:
            path = folder / f"{name}-{year}.yaml"
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                raise ConfigError(f"{path}: cannot read reference table ({exc})") from exc
            if not isinstance(data, dict) or data.get("year") != year:
                raise ConfigError(f"{path}: expected a table for {year}")
            return data

        median = read("standard-median-income")
        pension = read("basic-pension-threshold")
        sizes = median["by_household_size"]
        if not isinstance(sizes, dict):
            raise ConfigError(f"{folder}: standard-median-income-{year}.yaml: by_household_size must be a mapping")
        return cls(
            year=year,
            median_income={int(k): int(v) for k, v in sizes.items()},
            per_additional_member=int(str(median["per_additional_member"])),
            pension_single=int(str(pension["single"])),
            pension_couple=int(str(pension["couple"])),
        )
