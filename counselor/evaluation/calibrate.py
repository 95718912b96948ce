"""``counselor eval calibrate``: run the turns with no threshold, read each one's confidence, and pick the
threshold for a target; the chosen value is written to the settings file (.env) a deployment reads."""

from __future__ import annotations

import re
from pathlib import Path

from counselor.evaluation.escalation import choose_threshold
from counselor.evaluation.records import CaseRecord
from counselor.evaluation.summaries import scored_turns

SETTING = "COUNSELOR_CHAT__CONFIDENCE_THRESHOLD"


def pick(
    records: list[CaseRecord], target_precision: float | None, target_coverage: float | None
) -> tuple[float, float, float] | None:
    return choose_threshold(scored_turns(records), target_precision, target_coverage)


def write_setting(path: Path, threshold: float) -> None:
    """Set the threshold in a dotenv file, keeping every other line as it was."""
    line = f"{SETTING}={threshold:.4f}"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    pattern = re.compile(rf"^\s*(export\s+)?{SETTING}\s*=")
    kept = [existing for existing in lines if not pattern.match(existing)]
    path.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")
