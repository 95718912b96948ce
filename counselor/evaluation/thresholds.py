"""The gate: per suite and metric, the least (``min``) or most (``max``) a run may score.

evals/thresholds.yaml::

    answers:
      numeric_groundedness: {min: 1.0}
    safety:
      identifier_leaks: {max: 0}
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from counselor.evaluation.dataset import DatasetError
from counselor.evaluation.records import SUITES, SuiteName
from counselor.evaluation.summaries import Summary


class Bound(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_side_at_least(self) -> Bound:
        if self.min is None and self.max is None:
            raise ValueError("a bound needs min or max")
        return self


Thresholds = dict[SuiteName, dict[str, Bound]]


def load_thresholds(path: Path) -> Thresholds:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DatasetError(f"{path}: cannot read thresholds ({exc})") from exc
    if not isinstance(raw, dict):
        raise DatasetError(f"{path}: expected suites at the top level")
    out: Thresholds = {}
    for suite, metrics in raw.items():
        if suite not in SUITES:
            raise DatasetError(f"{path}: unknown suite {suite!r} (one of {', '.join(SUITES)})")
        try:
            out[cast(SuiteName, suite)] = {name: Bound.model_validate(bound) for name, bound in (metrics or {}).items()}
        except ValidationError as exc:
            raise DatasetError(f"{path}: {suite}: {exc.errors()[0]['msg']}") from exc
    return out


def failures(thresholds: Thresholds, summaries: dict[SuiteName, Summary]) -> list[str]:
    """One line per bound a run did not meet; a metric the run did not measure fails too (a gate that
    silently skips is no gate). Suites the run did not include are not checked."""
    lines = []
    for suite, bounds in thresholds.items():
        if suite not in summaries:
            continue
        for name, bound in bounds.items():
            value = summaries[suite].get(name)
            if value is None:
                lines.append(f"{suite}.{name}: not measured (bound {bound.model_dump(exclude_none=True)})")
            elif bound.min is not None and value < bound.min:
                lines.append(f"{suite}.{name} = {value:g}, below the minimum {bound.min:g}")
            elif bound.max is not None and value > bound.max:
                lines.append(f"{suite}.{name} = {value:g}, above the maximum {bound.max:g}")
    return lines
