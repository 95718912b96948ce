"""Reads one policy document from Markdown (with front matter), plain text, HTML or PDF.

Files other than Markdown may carry their metadata in a sidecar ``NAME.meta.yaml`` with the same keys as
Markdown front matter; without one, the title comes from the document and the policy is national.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from bs4 import BeautifulSoup
from pydantic import ValidationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from counselor.errors import DocumentError
from counselor.policies import PolicyDocument, PolicyMeta, Section

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}
# Notices that sit beside the policies but are not policies.
NOT_POLICIES = {"readme.md", "source.md", "license", "license.md", "notice.md"}
INTRO_HEADING = "개요"


def is_policy_file(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and path.name.lower() not in NOT_POLICIES
        and not path.name.startswith(".")
    )


def discover(roots: list[Path]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(p for p in sorted(root.rglob("*")) if is_policy_file(p))
        else:
            raise DocumentError(root, "no such file or folder")
    return files


def fallback_policy_id(path: Path) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", path.stem).strip("-").lower()[:40] or "doc"
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return f"doc-{slug}-{digest}"


def _meta(path: Path, raw: dict[str, Any], title: str) -> PolicyMeta:
    data = {"policy_id": fallback_policy_id(path), "title": title, **raw}
    try:
        return PolicyMeta.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'front matter'}: {e['msg']}" for e in exc.errors())
        raise DocumentError(path, f"bad metadata ({problems})") from exc


def _sidecar(path: Path) -> dict[str, Any]:
    side = path.with_name(path.name + ".meta.yaml")
    if not side.exists():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(side, f"bad YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DocumentError(side, "metadata must be a mapping")
    return data


def split_markdown(body: str) -> tuple[str | None, list[Section]]:
    """Returns the '# ' title (if any) and the '## ' sections; text before the first '##' is the intro."""
    title = None
    sections: list[Section] = []
    heading, lines = INTRO_HEADING, list[str]()
    for line in body.splitlines():
        if line.startswith("# ") and title is None and not sections and not any(s.strip() for s in lines):
            title = line[2:].strip()
            continue
        match = re.match(r"^#{2,3}\s+(.*)", line)
        if match:
            if any(s.strip() for s in lines):
                sections.append(Section(heading=heading, text="\n".join(lines).strip()))
            heading, lines = match.group(1).strip(), []
            continue
        lines.append(line)
    if any(s.strip() for s in lines):
        sections.append(Section(heading=heading, text="\n".join(lines).strip()))
    return title, sections


def _load_markdown(path: Path, text: str) -> PolicyDocument:
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise DocumentError(path, f"bad front matter: {exc}") from exc
    if not isinstance(post.metadata, dict):
        raise DocumentError(path, "front matter must be a mapping")
    title, sections = split_markdown(post.content)
    meta = _meta(path, dict(post.metadata), title or path.stem)
    return PolicyDocument(meta=meta, sections=sections, path=str(path))


def _load_text(path: Path, text: str) -> PolicyDocument:
    lines = text.splitlines()
    title = next((line.strip() for line in lines if line.strip()), path.stem)
    rest = text.split(title, 1)[1] if title in text else text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", rest) if p.strip()]
    sections = [Section(heading=INTRO_HEADING, text="\n\n".join(paragraphs))] if paragraphs else []
    return PolicyDocument(meta=_meta(path, _sidecar(path), title), sections=sections, path=str(path))


def _load_html(path: Path, text: str) -> PolicyDocument:
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "header"]):
        tag.decompose()
    h1 = soup.find("h1")
    title = (h1.get_text(" ", strip=True) if h1 else "") or (soup.title.get_text(strip=True) if soup.title else "")
    sections: list[Section] = []
    heading, parts = INTRO_HEADING, list[str]()
    for node in soup.find_all(["h2", "h3", "p", "li", "td", "th", "dd", "dt", "pre"]):
        if node.name in {"h2", "h3"}:
            if parts:
                sections.append(Section(heading=heading, text="\n".join(parts)))
            heading, parts = node.get_text(" ", strip=True), []
        elif not node.find_parent(["li", "td"]) or node.name in {"li", "td"}:
            chunk = node.get_text(" ", strip=True)
            if chunk:
                parts.append(chunk)
    if parts:
        sections.append(Section(heading=heading, text="\n".join(parts)))
    return PolicyDocument(meta=_meta(path, _sidecar(path), title or path.stem), sections=sections, path=str(path))


def _load_pdf(path: Path) -> PolicyDocument:
    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise DocumentError(path, f"unreadable PDF: {exc}") from exc
    sections = [Section(heading=f"p.{n}", text=t) for n, t in enumerate(pages, start=1) if t]
    title = next((line.strip() for t in pages for line in t.splitlines() if line.strip()), path.stem)
    return PolicyDocument(meta=_meta(path, _sidecar(path), title), sections=sections, path=str(path))


def load_document(path: Path) -> PolicyDocument:
    """Parse one file; raise :class:`DocumentError` naming the file when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        doc = _load_pdf(path)
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(path, "not UTF-8 text") from exc
        except OSError as exc:
            raise DocumentError(path, f"cannot read: {exc.strerror}") from exc
        if suffix in {".md", ".markdown"}:
            doc = _load_markdown(path, text)
        elif suffix in {".html", ".htm"}:
            doc = _load_html(path, text)
        else:
            doc = _load_text(path, text)
    if not any(s.text.strip() for s in doc.sections):
        raise DocumentError(path, "empty document: no text to index")
    return doc
