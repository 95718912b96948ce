"""``counselor``: ingest knowledge, search it, evaluate it and serve it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from counselor.cli.chat_cmd import ask, queue
from counselor.cli.console import err, fail, out
from counselor.cli.counselors_cmd import counselors_app
from counselor.cli.eligibility_cmd import eligibility
from counselor.cli.eval_cmd import eval_app
from counselor.cli.knowledge_cmd import knowledge_app
from counselor.cli.progress import RichProgress
from counselor.cli.router_cmd import router_app
from counselor.deps import build_deps
from counselor.errors import CounselorError
from counselor.policies import LifeStage, TargetGroup
from counselor.retrieval.filters import SearchFilter
from counselor.settings import get_settings, get_settings_for_one_question
from ingestion.indexer import ingest as run_ingest

app = typer.Typer(help="AI welfare counselor for Korean cities.", no_args_is_help=True, add_completion=False)
app.add_typer(eval_app, name="eval")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(counselors_app, name="counselors")
app.add_typer(router_app, name="router")
app.command()(ask)
app.command()(queue)
app.command()(eligibility)


def parse_region(region: str | None) -> tuple[str | None, str | None]:
    if not region:
        return None, None
    try:
        place = build_deps().regions.parse(region)
    except ValueError as exc:
        fail(str(exc))
    return place.sido, place.district


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="folders or files; default: the knowledge dirs")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    strict: Annotated[bool, typer.Option(help="exit 1 when any file could not be indexed")] = False,
) -> None:
    """Index knowledge files (Markdown, text, HTML, PDF); only what changed is re-embedded."""
    deps = build_deps()
    roots = list(paths) if paths else list(deps.settings.knowledge_dirs)
    try:
        with RichProgress(err, enabled=not as_json and sys.stderr.isatty()) as progress:
            report = run_ingest(
                roots,
                deps.settings.index_dir,
                deps.settings.cache_dir / "embeddings.sqlite",
                deps.embedder,
                batch_size=deps.settings.embed_batch_size,
                progress=progress,
                snapshot_dir=deps.settings.embedding_snapshots,
                store=deps.vector_store(),
            )
    except CounselorError as exc:
        fail(str(exc))
    if as_json:
        out.print_json(report.model_dump_json())
    else:
        for problem in report.errors:
            err.print(f"[yellow]skipped[/] {problem.path}: {problem.reason}", highlight=False)
        state = "up to date" if report.up_to_date else f"generation {report.generation}"
        out.print(
            f"{report.policies} policies, {report.chunks} chunks ({report.chunks_added} added, "
            f"{report.chunks_removed} removed, {report.embedded} embedded, {report.changed_files} files changed, "
            f"{len(report.errors)} "
            f"errors) in {report.seconds:.1f}s — {state}",
            highlight=False,
        )
    if strict and report.errors:
        raise typer.Exit(1)


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="the citizen's question, Korean or English")],
    k: Annotated[int, typer.Option("--k", min=1, max=50)] = 5,
    region: Annotated[str | None, typer.Option(help="'시도' or '시도 시군구'")] = None,
    life_stage: Annotated[LifeStage | None, typer.Option()] = None,
    target_group: Annotated[TargetGroup | None, typer.Option()] = None,
    all_regions: Annotated[
        bool, typer.Option(help="without --region: every region's policies, not only national ones")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Find the policies that answer a question.

    Without --region, a place named in the question sets the region; otherwise only national policies.
    """
    sido, district = parse_region(region)
    where = SearchFilter(
        sido=sido, district=district, life_stage=life_stage, target_group=target_group, all_regions=all_regions
    )
    try:
        hits = build_deps(get_settings_for_one_question()).retriever.search(question, k=k, where=where)
    except CounselorError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("#", "policy", "region", "section", "score", "text")
    for n, hit in enumerate(hits, start=1):
        table.add_row(str(n), hit.title, hit.region, hit.section, f"{hit.score:.4f}", hit.text[:80])
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    ingest_first: Annotated[bool, typer.Option("--ingest/--no-ingest", help="bring the index up to date")] = True,
) -> None:
    """Run the web service on the embedded defaults (building the index on first run)."""
    import uvicorn

    from counselor.web.app import create_app

    if ingest_first:
        ingest(paths=None, as_json=False, strict=False)
    settings = get_settings()
    # The largest frame the app uses is a message of chat.max_message_chars (~9 KB as JSON); uvicorn's own
    # default (16 MiB) let ten sockets hold 200 MB.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", ws_max_size=settings.web.max_frame_bytes)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
