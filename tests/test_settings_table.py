"""docs/settings.md is the table generated from the settings model, and each knob has one spelling."""

from __future__ import annotations

from pathlib import Path

import pytest

from counselor.settings import PROJECT_ROOT, get_settings
from counselor.settings_table import table


def test_the_settings_page_is_up_to_date() -> None:
    page = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == table(), "regenerate it: python -m counselor.settings_table > docs/settings.md"


def test_the_nested_spelling_wins_over_the_old_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSELOR_CHAT_CONFIDENCE_THRESHOLD", "0.41")
    assert get_settings().chat.confidence_threshold == 0.41
    monkeypatch.setenv("COUNSELOR_CHAT__CONFIDENCE_THRESHOLD", "0.42")
    assert get_settings().chat.confidence_threshold == 0.42


def test_an_old_spelling_fills_only_its_own_knob(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSELOR_QUEUE_OFFICE_DAYS", "[1, 2]")
    settings = get_settings(queue={"sla_minutes": 9})
    assert settings.queue.office_days == [1, 2] and settings.queue.sla_minutes == 9


def test_a_nested_group_read_from_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("COUNSELOR_CHAT__ANSWER_FLOOR=0.2\n", encoding="utf-8")
    assert get_settings().chat.answer_floor == 0.2
