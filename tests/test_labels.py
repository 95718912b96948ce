"""The pages' fact and reason labels come from counselor/labels.py: the citizen's labels.js is generated from it,
and the console's fact labels are built from it."""

from __future__ import annotations

from pathlib import Path

from counselor.casework import FeedbackReason
from counselor.labels import FACTS, REASONS, labels_js
from counselor.queue.brief import FACT_LABELS

STATIC = Path(__file__).resolve().parents[1] / "counselor" / "web" / "static"


def test_labels_js_is_generated_from_the_module() -> None:
    written = (STATIC / "labels.js").read_text(encoding="utf-8")
    assert written == labels_js(), "run: python -m counselor.labels > counselor/web/static/labels.js"


def test_the_chat_page_loads_the_labels_before_its_script() -> None:
    page = (STATIC / "chat.html").read_text(encoding="utf-8")
    assert page.index("/static/labels.js") < page.index("/static/chat.js")


def test_every_reason_and_the_consoles_facts_come_from_one_table() -> None:
    assert list(REASONS) == list(FeedbackReason)
    assert all(FACT_LABELS[name] == words["ko"] for name, words in FACTS.items())
