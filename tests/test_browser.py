"""Both web pages in headless Chromium (Debian's ``chromium``, driven by Playwright), against a real server:
a citizen escalates, a caseworker claims, replies and hands back, the bot answers again; and two caseworkers
race to claim. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from counselor.store.conversations import ConversationStore
from counselor.testing.server import Server

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("COUNSELOR_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))


def chromium() -> str:
    found = os.environ.get("COUNSELOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("COUNSELOR_REQUIRE_BROWSER"):
        pytest.fail("Chromium is required here (COUNSELOR_REQUIRE_BROWSER) but not installed: apt-get install chromium")
    pytest.skip("no chromium on this machine (apt-get install chromium); CI installs it")


@pytest.fixture
def server(small_index: Path, tmp_path: Path) -> Iterator[Server]:
    data = tmp_path / "data"
    shutil.copytree(small_index, data)
    server = Server(data)
    accounts = ConversationStore.from_url(server.db).accounts
    accounts.add("lee", "password-lee")
    accounts.add("park", "password-park")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # A turn on 2 busy cores can take seconds; these tests check what the pages do, not how fast (bench/ does).
    expect.set_options(timeout=15_000)
    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"


def login(browser: object, server: Server, name: str):  # type: ignore[no-untyped-def]
    page = browser.new_page()  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base(server)}/console")
    page.get_by_label("이름").fill(name)
    page.get_by_label("비밀번호").fill(f"password-{name}")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_selector("#console:not([hidden])")
    return page


def test_a_citizen_is_handed_to_a_caseworker_and_back(browser: object, server: Server) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    citizen = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    citizen.goto(base(server))
    expect(citizen.locator("#state")).to_be_empty()
    citizen.get_by_role("button", name="상담사 연결").click()
    expect(citizen.locator("li.msg.bot[data-status=escalated]")).to_be_visible()
    expect(citizen.locator("#state")).to_contain_text("대기 순서: 1번째")

    console = login(browser, server, "lee")
    row = console.locator("#queue tr").first
    expect(row).to_contain_text("상담 요청")  # the kind, in the words issue 20 gives it
    row.click()
    expect(console.locator("#brief")).to_contain_text("상담원 연결해 주세요")
    console.get_by_role("button", name="맡기").click()
    expect(console.locator("#claim")).to_be_disabled()
    console.get_by_label("답장").fill("안녕하세요, 상담사 이수진입니다. 무엇을 도와드릴까요?")
    console.locator("#reply").get_by_role("button", name="보내기").click()

    expect(citizen.locator("li.msg.counselor")).to_contain_text("상담사 이수진입니다")
    expect(citizen.locator("#state")).to_contain_text("lee")
    citizen.get_by_label("질문").fill("기초연금도 받을 수 있나요?")
    citizen.get_by_label("질문").press("Enter")
    expect(console.locator("#transcript")).to_contain_text("기초연금도 받을 수 있나요?")
    console.screenshot(path=str(ARTIFACTS / "console.png"), full_page=True)

    # The server dies. The console says so, and a reply typed meanwhile waits there instead of vanishing;
    # both pages reconnect by themselves and the conversation goes on.
    server.kill()
    expect(console.locator("#link")).to_contain_text("다시 연결하는 중")
    console.get_by_label("답장").fill("다시 연결되었어요. 기초연금은 소득인정액에 따라 달라요.")
    console.locator("#reply").get_by_role("button", name="보내기").click()
    expect(console.locator("#link")).to_contain_text("보낼 것 1개")
    server.start()
    expect(citizen.locator("li.msg.counselor").last).to_contain_text("다시 연결되었어요", timeout=20000)
    expect(console.locator("#link")).to_be_empty()
    expect(citizen.locator("#state")).to_contain_text("lee")
    expect(console.locator("#transcript")).to_contain_text("다시 연결되었어요")

    console.get_by_role("button", name="상담봇에 돌려주기").click()
    expect(citizen.locator("li.msg.event").last).to_contain_text("상담봇이 다시")
    citizen.get_by_label("질문").fill("기초연금은 얼마나 받아요?")
    citizen.get_by_role("button", name="보내기").click()
    answer = citizen.locator("li.msg.bot[data-status=answered]")
    expect(answer).to_contain_text("33만 4,810원")
    # The answer's **bold** and "- " lines arrive as text and are shown formatted, never as raw markers.
    expect(answer.locator(".body strong").first).to_be_visible()
    expect(answer.locator(".body ul li").first).to_be_visible()
    assert "**" not in answer.locator(".body").inner_text()
    answer.get_by_role("link", name="기초연금제도").click()
    expect(citizen.locator("#source")).to_contain_text("국민연금공단")
    citizen.screenshot(path=str(ARTIFACTS / "citizen.png"), full_page=True)
    citizen.get_by_role("button", name="닫기").click()

    citizen.get_by_role("button", name="English").click()
    expect(citizen.get_by_role("button", name="Talk to a person")).to_be_visible()


def test_two_caseworkers_race_to_claim(browser: object, server: Server) -> None:
    from playwright.sync_api import expect

    citizen = browser.new_page()  # type: ignore[attr-defined]
    citizen.goto(base(server))
    citizen.get_by_role("button", name="상담사 연결").click()
    expect(citizen.locator("li.msg.bot[data-status=escalated]")).to_be_visible()
    lee, park = login(browser, server, "lee"), login(browser, server, "park")
    for page in (lee, park):
        page.locator("#queue tr").first.click()
        expect(page.locator("#claim")).to_be_enabled()
    # Both click before either hears back.
    lee.evaluate("document.getElementById('claim').click()")
    park.evaluate("document.getElementById('claim').click()")
    expect(citizen.locator("li.msg.event")).to_have_count(1)  # one caseworker joined, not two
    store = ConversationStore.from_url(server.db)
    claimed = [t.claimed_by for t in store.tickets.visible_to("anyone", supervisor=True)]
    assert claimed in (["lee"], ["park"])
    winner, loser = (lee, park) if claimed == ["lee"] else (park, lee)
    expect(winner.locator("#queue tr").first).to_contain_text(f"담당: {claimed[0]}")
    expect(winner.locator("#reply button")).to_be_enabled()
    expect(loser.locator("#queue tr")).to_have_count(0)  # taken by the other: gone from their queue
    expect(loser.locator("#case")).to_be_hidden()


def test_the_citizen_sees_and_erases_what_the_counselor_keeps(browser: object, server: Server) -> None:
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    citizen = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    citizen.goto(base(server))
    expect(citizen.locator("#profile")).to_be_hidden()
    citizen.get_by_label("질문").fill("저는 67살이고 혼자 살아요. 기초연금 받을 수 있나요?")
    citizen.get_by_label("질문").press("Enter")
    expect(citizen.locator("li.msg.bot").last).to_contain_text("대상일 가능성이 높습니다")
    panel = citizen.locator("#profile")
    expect(panel).to_be_visible()
    panel.locator("summary").click()
    expect(citizen.locator("#facts")).to_contain_text("나이: 67")
    citizen.screenshot(path=str(ARTIFACTS / "profile.png"), full_page=True)
    citizen.get_by_role("button", name="지우기 혼자 삶").click()
    expect(citizen.locator("#facts")).not_to_contain_text("혼자 삶")
    citizen.get_by_role("button", name="내 정보 모두 지우기").click()
    expect(panel).to_be_hidden()
    expect(citizen.locator("li.msg.event").last).to_contain_text("내 정보를 모두 지웠어요")
    # A reload shows the profile is gone from storage too.
    citizen.reload()
    expect(citizen.locator("li.msg.bot").first).to_be_visible()
    expect(panel).to_be_hidden()
