from __future__ import annotations

from pathlib import Path

import pytest

from counselor.errors import DocumentError
from ingestion.chunking import chunk_document
from ingestion.loaders import discover, load_document


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with correct xref offsets, written by hand so the test needs no PDF library."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_markdown_front_matter_and_sections(small_knowledge: Path) -> None:
    doc = load_document(small_knowledge / "national/pension.md")
    assert doc.meta.policy_id == "nat-pension"
    assert doc.meta.title == "기초연금제도"
    assert [s.heading for s in doc.sections] == ["대상", "내용", "방법"]
    assert doc.meta.life_stages[0].value == "old_age"


def test_every_chunk_carries_the_title(small_knowledge: Path) -> None:
    doc = load_document(small_knowledge / "national/pension.md")
    long_doc = doc.model_copy(update={"sections": doc.sections * 20})
    chunks = chunk_document(long_doc, max_chars=120)
    assert len(chunks) > 3
    assert all(c.title == "기초연금제도" and c.embed_text.startswith("기초연금제도") for c in chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_plain_text_html_and_pdf(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text("청년 월세 지원 안내\n\n만 19~34세 청년에게 월 20만 원\n", encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><head><title>t</title><script>x()</script></head><body><h1>출산 축하금</h1>"
        "<h2>대상</h2><p>관내 출산 가정</p><h2>내용</h2><ul><li>첫째 50만 원</li></ul></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "flyer.pdf").write_bytes(minimal_pdf("Housing support for young adults"))
    (tmp_path / "flyer.pdf.meta.yaml").write_text(
        "policy_id: city-flyer\nregion: {level: sido, sido: 경기도}\n", encoding="utf-8"
    )
    txt = load_document(tmp_path / "notice.txt")
    assert txt.meta.title == "청년 월세 지원 안내" and "20만 원" in txt.text
    html = load_document(tmp_path / "page.html")
    assert html.meta.title == "출산 축하금"
    assert [s.heading for s in html.sections] == ["대상", "내용"] and "x()" not in html.text
    pdf = load_document(tmp_path / "flyer.pdf")
    assert pdf.meta.policy_id == "city-flyer" and pdf.meta.region.sido == "경기도"
    assert "Housing support" in pdf.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.md", "---\ntitle: [unclosed\n---\n# x\n\nbody", "bad front matter"),
        ("typo.md", "---\npolicy_id: a-b\ntitel: x\n---\n# x\n\nbody", "titel"),
        ("range.md", "---\npolicy_id: a-b\nlife_stages: [retired]\n---\n# x\n\nbody", "life_stages"),
        ("empty.md", "---\npolicy_id: a-b\n---\n", "empty document"),
        ("blank.txt", "   \n\n", "empty document"),
    ],
)
def test_broken_documents_name_the_file_and_reason(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert info.value.path == str(path)
    assert reason in info.value.reason


def test_unreadable_pdf_and_non_utf8(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(DocumentError, match="PDF"):
        load_document(tmp_path / "broken.pdf")
    with pytest.raises(DocumentError, match="UTF-8"):
        load_document(tmp_path / "latin1.txt")


def test_discover_skips_notices_and_unknown_types(tmp_path: Path) -> None:
    for name in ("a.md", "README.md", "SOURCE.md", "LICENSE", "x.json", ".hidden.md", "b.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in discover([tmp_path])] == ["a.md", "b.pdf"]
    with pytest.raises(DocumentError, match="no such"):
        discover([tmp_path / "missing"])
