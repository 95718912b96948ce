"""``counselor counselors``: caseworker accounts."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from counselor.cli.console import fail, out
from counselor.deps import build_deps
from counselor.store.accounts import AccountError

counselors_app = typer.Typer(help="Caseworker accounts.", no_args_is_help=True)


@counselors_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="the login name")],
    role: Annotated[str, typer.Option(help="counselor or supervisor")] = "counselor",
    password_stdin: Annotated[bool, typer.Option(help="read the password from standard input")] = False,
) -> None:
    """Add a caseworker; the password is asked for (or read from stdin) and only its argon2 hash is kept."""
    if role not in ("counselor", "supervisor"):
        fail("role is counselor or supervisor")
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("password", hide_input=True, confirmation_prompt=True)
    )
    chosen: Literal["counselor", "supervisor"] = "supervisor" if role == "supervisor" else "counselor"
    try:
        account = build_deps().store.accounts.add(name, password, chosen)
    except AccountError as exc:
        fail(str(exc))
    out.print(f"added {account.name} ({account.role})", highlight=False)


@counselors_app.command("list")
def list_accounts() -> None:
    """Every caseworker account and its role."""
    accounts = build_deps().store.accounts
    disabled = accounts.disabled_names()
    for account in accounts.names():
        state = "\tdisabled" if account.name in disabled else ""
        out.print(f"{account.name}\t{account.role}{state}", highlight=False)


def _change(name: str, how: str) -> None:
    accounts = build_deps().store.accounts
    try:
        getattr(accounts, how)(name)
    except AccountError as exc:
        fail(str(exc))
    out.print(f"{how}d {name}" if how != "remove" else f"removed {name}", highlight=False)


@counselors_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="the login name")]) -> None:
    """No more logins for NAME; every session ends and open consoles close. History is kept."""
    _change(name, "disable")


@counselors_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="the login name")]) -> None:
    """Let a disabled account log in again."""
    _change(name, "enable")


@counselors_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="the login name")]) -> None:
    """Delete NAME's account and sessions (tickets keep the name they were claimed under)."""
    _change(name, "remove")
