from __future__ import annotations

from pathlib import Path

import frontmatter

from counselor.policies import PolicyMeta
from ingestion import booklet, local_services
from ingestion.loaders import load_document
from tests.conftest import FIXTURES, PROJECT


def test_booklet_excerpt_converts_one_file_per_service(tmp_path: Path) -> None:
    changed, total = booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path)
    files = sorted(tmp_path.glob("*.md"))
    assert changed == total == len(files) == 3  # 기초연금제도, 긴급복지 지원제도, the nameless p.46 service
    titles = {frontmatter.load(str(f))["title"] for f in files}
    assert titles == {"기초연금제도", "긴급복지 지원제도", "주택용 에너지캐시백"}  # front matter page dropped


def test_booklet_file_keeps_title_sections_order_and_source(tmp_path: Path) -> None:
    booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path)
    path = next(f for f in tmp_path.glob("*.md") if "title: 기초연금제도" in f.read_text(encoding="utf-8"))
    doc = load_document(path)
    assert doc.meta.policy_id == "mohw2024-p220-1"
    assert doc.meta.source_page == 220 and doc.meta.edition == "2024-04"
    assert "2024 나에게 힘이 되는 복지서비스" in doc.meta.source
    headings = [s.heading for s in doc.sections]
    assert headings.index("대상") < headings.index("방법") < headings.index("문의")
    assert "월 최대 33만 4,810원" in doc.text
    assert "footer" not in path.read_text(encoding="utf-8")
    assert [s.value for s in doc.meta.life_stages] == ["old_age"]


def test_booklet_tables_and_faq_render_readably(tmp_path: Path) -> None:
    booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path)
    text = next(f for f in tmp_path.glob("*.md") if "긴급복지" in f.read_text(encoding="utf-8")).read_text(
        encoding="utf-8"
    )
    assert "## 자주하는 질문" in text and "**Q.**" in text and "**A.**" in text
    assert "관련 정보" not in text and "은(는)" not in text


def test_booklet_conversion_is_idempotent(tmp_path: Path) -> None:
    booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path)
    assert booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path) == (0, 3)


def test_local_services_are_region_tagged(tmp_path: Path) -> None:
    changed, total = local_services.convert(FIXTURES / "local_services_excerpt.json", tmp_path)
    assert changed == total == 2  # the national entry is skipped: the booklet covers national services
    gwangyang = load_document(tmp_path / "전라남도" / "광양시" / "local-wlf00006189.md")
    assert gwangyang.meta.title == "광양시 한부모가족 지원"
    assert gwangyang.meta.region.model_dump() == {"level": "district", "sido": "전라남도", "district": "광양시"}
    assert "single_parent" in [g.value for g in gwangyang.meta.target_groups]
    whole = next(p for p in tmp_path.rglob("*.md") if "_광역" in str(p))
    assert load_document(whole).meta.region.level == "sido"


def test_shipped_knowledge_is_valid_and_complete() -> None:
    """Every shipped file parses; the booklet's services and the seed cities' policies are all there."""
    knowledge = PROJECT / "knowledge"
    files = [p for p in knowledge.rglob("*.md") if p.name not in {"SOURCE.md", "README.md"}]
    metas = [PolicyMeta.model_validate(frontmatter.load(str(p)).metadata) for p in files]
    ids = [m.policy_id for m in metas]
    assert len(ids) == len(set(ids))
    national = [m for m in metas if m.kind == "national"]
    assert len(national) >= 460
    by_district = {(m.region.sido, m.region.district) for m in metas if m.region.level == "district"}
    assert ("전라남도", "광양시") in by_district and ("경기도", "고양시") in by_district
    seeds = [m for m in metas if m.policy_id.startswith(("gwangyang-2025-", "goyang-2025-"))]
    assert len(seeds) >= 15
    assert all((m.region.sido, m.region.district) in {("전라남도", "광양시"), ("경기도", "고양시")} for m in seeds)


def test_english_import_and_preserved_by_reconversion(tmp_path: Path) -> None:
    from ingestion.chunking import chunk_document
    from ingestion.english import import_english

    booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path)
    mapping = tmp_path / "en.yaml"
    mapping.write_text(
        "mohw2024-p220-1:\n  title_en: Basic Pension\n  summary_en: Monthly pension for people aged 65 or older.\n"
        "no-such-policy:\n  title_en: Nothing\n",
        encoding="utf-8",
    )
    updated, unknown = import_english(mapping, tmp_path)
    assert (updated, unknown) == (1, ["no-such-policy"])
    path = tmp_path / "mohw2024-p220-1.md"
    doc = load_document(path)
    assert doc.meta.title_en == "Basic Pension"
    english = [c for c in chunk_document(doc) if c.section == "English"]
    assert english and english[0].dense_input == "Basic Pension: Monthly pension for people aged 65 or older."
    # Re-running the converter rewrites the Korean but keeps the translator's English.
    assert booklet.convert(FIXTURES / "booklet_excerpt.json", tmp_path) == (0, 3)
    assert load_document(path).meta.title_en == "Basic Pension"
