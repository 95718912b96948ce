"""Writes a policy as a reviewable Markdown file with YAML front matter."""

from __future__ import annotations

from pathlib import Path

import yaml

from counselor.policies import PolicyMeta, Section


def render_policy(meta: PolicyMeta, sections: list[Section]) -> str:
    front = meta.model_dump(mode="json", exclude_defaults=False)
    for optional in ("title_en", "summary_en"):  # absent rather than null until a translator fills them
        if front.get(optional) is None:
            front.pop(optional, None)
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000).strip()
    body = [f"# {meta.title}", ""]
    for section in sections:
        body += [f"## {section.heading}", "", section.text.strip(), ""]
    return f"---\n{header}\n---\n" + "\n".join(body).rstrip() + "\n"


def write_policy(path: Path, meta: PolicyMeta, sections: list[Section]) -> bool:
    """Write only when the content changed, so re-running a converter leaves git and mtimes alone."""
    text = render_policy(meta, sections)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
