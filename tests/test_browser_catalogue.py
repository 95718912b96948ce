"""The policy catalogue in headless Chromium against a real server over real knowledge files: a Gwangyang
resident filters 임신·출산, sees 광양시 기본출생수당 and national programs and no other city's, opens one, sees
its sections and source, asks the chat about it and gets an answer citing it. axe-core (vendored in
tests/fixtures/axe/, injected by Playwright) finds no serious or critical violation on either page.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from counselor.retrieval.embedders import HashingEmbedder
from counselor.testing.server import Server
from ingestion.indexer import ingest

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("COUNSELOR_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
AXE = Path(__file__).parent / "fixtures" / "axe" / "axe.min.js"
# National programs, Gwangyang's, the province's, and other cities' (Goyang's; Suncheon's in the same province).
FILES = [
    "national/mohw-2024/mohw2024-p101-1.md",
    "national/mohw-2024/mohw2024-p107-1.md",
    "national/mohw-2024/mohw2024-p108-1.md",
    "national/mohw-2024/mohw2024-p016-1.md",
    "local/전라남도/광양시/gwangyang-2025-basic-birth-allowance.md",
    "local/전라남도/광양시/gwangyang-2025-pregnancy-support-fund.md",
    "local/전라남도/광양시/local-wlf00000300.md",
    "local/전라남도/_광역/local-wlf00004258.md",
    "local/전라남도/순천시/local-wlf00004066.md",
    "local/경기도/고양시/goyang-2025-third-child-birth-support.md",
    "local/경기도/고양시/local-wlf00002522.md",
]


def chromium() -> str:
    """Debian's chromium, as tests/test_browser.py finds it (there: how the project drives it)."""
    found = os.environ.get("COUNSELOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("COUNSELOR_REQUIRE_BROWSER"):
        pytest.fail("Chromium is required here (COUNSELOR_REQUIRE_BROWSER) but not installed: apt-get install chromium")
    pytest.skip("no chromium on this machine (apt-get install chromium); CI installs it")


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # A turn on 2 busy cores can take seconds; these tests check what the pages do, not how fast (bench/ does).
    expect.set_options(timeout=15_000)
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    _ = chromium()  # skip before building anything on a machine without it
    knowledge = tmp_path / "knowledge"
    for name in FILES:
        (knowledge / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / "knowledge" / name, knowledge / name)
    data = tmp_path / "data"
    ingest([knowledge], data / "index", data / "cache" / "e.sqlite", HashingEmbedder())
    server = Server(data, env={"COUNSELOR_KNOWLEDGE_DIRS": json.dumps([str(knowledge)])})
    server.start()
    yield server
    server.stop()


def serious_violations(page: object) -> list[str]:
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    found = page.evaluate("async () => (await axe.run()).violations")  # type: ignore[attr-defined]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in found if v["impact"] in ("serious", "critical")]


def test_a_gwangyang_resident_browses_opens_and_asks(browser: object, server: Server) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # axe-core is injected as a script tag, which the pages' Content-Security-Policy (script-src 'self') refuses;
    # the CSP itself is exercised by tests/test_browser.py, whose pages run under it.
    page = browser.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)  # type: ignore[attr-defined]
    page.goto(f"{base(server)}/policies")
    expect(page.locator("#results li").first).to_be_visible()
    page.get_by_label("시·도").select_option("전라남도")
    expect(page.get_by_label("시·군·구")).to_be_enabled()
    page.get_by_label("시·군·구").select_option("광양시")
    page.get_by_role("button", name="임신·출산").click()
    expect(page.get_by_role("button", name="임신·출산")).to_have_attribute("aria-pressed", "true")
    results = page.locator("#results")
    expect(results).to_contain_text("광양시 기본출생수당")
    expect(results).to_contain_text("건강보험 임신·출산 진료비")  # national
    expect(results).to_contain_text("전국")
    expect(results).not_to_contain_text("고양시")
    expect(results).not_to_contain_text("순천시")
    assert "stage=pregnancy_birth" in page.url and "district=" in page.url
    page.screenshot(path=str(ARTIFACTS / "catalogue.png"), full_page=True)
    assert serious_violations(page) == []

    # The region is chosen once: a reload keeps it.
    page.goto(f"{base(server)}/policies")
    expect(page.get_by_label("시·군·구")).to_have_value("광양시")

    page.get_by_role("button", name="임신·출산").click()
    page.get_by_role("link", name="광양시 기본출생수당").click()
    expect(page.get_by_role("heading", name="광양시 기본출생수당", level=1)).to_be_visible()
    headings = page.locator("#sections h2").all_inner_texts()
    assert headings == ["대상", "내용", "방법", "문의"]
    expect(page.locator("#source")).to_contain_text("광양시 생애복지플랫폼")
    expect(page.locator("#source")).to_contain_text("2025")
    page.screenshot(path=str(ARTIFACTS / "policy.png"), full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gwangyang basic birth allowance")
    page.get_by_role("button", name="한국어").click()

    page.get_by_role("link", name="이 제도에 대해 물어보기").click()
    answer = page.locator("li.msg.bot").last
    expect(answer).to_have_attribute("data-status", "answered", timeout=20000)
    expect(page.locator("li.msg.citizen").first).to_contain_text("광양시 기본출생수당에 대해 알려 주세요")
    cited = answer.get_by_role("link", name="광양시 기본출생수당")
    expect(cited).to_have_attribute("href", "/policies/gwangyang-2025-basic-birth-allowance")
    assert "ask=" not in page.url  # asked once: a reload does not ask again
    page.screenshot(path=str(ARTIFACTS / "catalogue-chat.png"), full_page=True)
    assert serious_violations(page) == []
    cited.click()
    expect(page.locator("#source")).to_contain_text("20만 원")
    page.get_by_role("link", name="제도 페이지에서 보기").click()
    expect(page.get_by_role("heading", name="광양시 기본출생수당", level=1)).to_be_visible()
