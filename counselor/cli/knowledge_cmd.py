"""``counselor knowledge``: re-run the converters that turn public data into knowledge files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counselor.cli.console import out as screen
from counselor.settings import PROJECT_ROOT

knowledge_app = typer.Typer(help="Convert public data into reviewable knowledge files.", no_args_is_help=True)


@knowledge_app.command("import-booklet")
def import_booklet(
    chunks: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="the booklet's chunks.json")],
    out: Annotated[Path, typer.Option()] = PROJECT_ROOT / "knowledge" / "national" / "mohw-2024",
) -> None:
    """MOHW 2024 booklet -> one Markdown file per service."""
    from ingestion.booklet import convert

    changed, total = convert(chunks, out)
    screen.print(f"{total} services, {changed} files written or updated in {out}")


@knowledge_app.command("import-local")
def import_local(
    services: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="services.json")],
    out: Annotated[Path, typer.Option()] = PROJECT_ROOT / "knowledge" / "local",
) -> None:
    """Welfare portal directory -> one region-tagged Markdown file per local service."""
    from ingestion.local_services import convert

    changed, total = convert(services, out)
    screen.print(f"{total} local services, {changed} files written or updated in {out}")


@knowledge_app.command("import-english")
def import_english(
    mapping: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="YAML: policy_id -> title_en, summary_en")
    ],
    knowledge: Annotated[Path, typer.Option()] = PROJECT_ROOT / "knowledge",
) -> None:
    """Write translators' English names and summaries into the policies' front matter."""
    from ingestion.english import import_english as run

    updated, unknown = run(mapping, knowledge)
    screen.print(f"{updated} files updated")
    if unknown:
        screen.print(f"[yellow]no file has these policy ids:[/] {', '.join(unknown)}", highlight=False)
        raise typer.Exit(1)


@knowledge_app.command("export-embeddings")
def export_embeddings(
    out: Annotated[Path | None, typer.Option(help="default: <embedding_snapshots>/<model>.npz")] = None,
) -> None:
    """Snapshot the embeddings of the current index, to ship with the knowledge (re-run after big edits)."""
    from counselor.cli.console import fail
    from counselor.deps import build_deps
    from counselor.errors import CounselorError
    from counselor.retrieval.embedding_cache import EmbeddingCache
    from counselor.retrieval.index import open_index

    deps = build_deps()
    settings = deps.settings
    name = deps.embedder.name
    target = out or (settings.embedding_snapshots or settings.data_dir) / f"{name}.npz"
    try:
        index = open_index(settings.index_dir, name)
    except CounselorError as exc:
        fail(str(exc))
    cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
    try:
        count = cache.export_snapshot(target, name, [c.dense_input for c in index.chunks])
    finally:
        cache.close()
    screen.print(f"{count} of {len(index.chunks)} chunk embeddings written to {target}", highlight=False)
