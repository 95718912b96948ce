"""``counselor eligibility``: verdicts for a profile, the same engine the chat uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from counselor.cli.console import fail
from counselor.cli.console import out as screen
from counselor.deps import build_deps
from counselor.eligibility.profile import Profile
from counselor.errors import CounselorError


def eligibility(
    profile: Annotated[Path, typer.Option(help="the profile as JSON (fields of counselor.eligibility.Profile)")],
    policy: Annotated[list[str] | None, typer.Option(help="a policy id; repeat for several (default: all)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    show: Annotated[str, typer.Option(help="which verdicts to list: all, or eligible (eligible and likely)")] = "all",
) -> None:
    """Eligibility verdicts for a profile: each criterion met, not met or unknown, with its source sentence."""
    try:
        facts = Profile.model_validate_json(profile.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"{profile}: cannot read ({exc.strerror})")
    except ValidationError as exc:
        error = exc.errors()[0]
        fail(f"{profile}: {'.'.join(map(str, error['loc'])) or 'profile'}: {error['msg']}")
    try:
        engine = build_deps().eligibility
    except CounselorError as exc:
        fail(str(exc))
    unknown = [p for p in policy or [] if p not in engine.policies]
    if unknown:
        fail(f"no criteria for {', '.join(unknown)} (policies with criteria: {len(engine.policies)})")
    verdicts = engine.all(facts, policy or None)
    if show == "eligible":
        verdicts = [v for v in verdicts if v.verdict in ("eligible", "likely")]
    verdicts.sort(key=lambda v: (["eligible", "likely", "unknown", "not_eligible"].index(v.verdict), v.title))
    next_fact = engine.next_question(verdicts)
    if as_json:
        payload = {"verdicts": [v.model_dump(mode="json") for v in verdicts], "next_question": next_fact}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    table = Table("verdict", "policy", "criteria")
    for v in verdicts:
        table.add_row(v.verdict, v.title, "; ".join(f"{c.fact} {c.outcome}" for c in v.criteria))
    screen.print(table)
    if next_fact:
        screen.print(f"the fact that would settle the most open verdicts: {next_fact}", highlight=False)
