"""Caseworker accounts: argon2 password hashes, session tokens (only their hashes stored), two roles.

A failed login costs the same whatever failed: an unknown or disabled name is verified against a dummy hash,
so timing does not tell which names exist (issue 18 measured 2 ms against 197 ms). Throttling lives in the web
layer (counselor/throttle.py), which knows the caller's address.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from counselor.errors import RefusedError
from counselor.store.ids import hash_token
from counselor.store.sessions import Sessions
from counselor.store.tables import Counselor, CounselorSession, utcnow

Role = Literal["counselor", "supervisor"]
MIN_PASSWORD = 12
# The words people build weak passwords from; "password1234" is refused, "password-of-lee-kim" is not.
COMMON_STEMS = frozenset(
    {"password", "passw0rd", "qwerty", "qwertyuiop", "letmein", "welcome", "admin", "iloveyou", "abcdef", "asdfgh"}
)


class Account(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    role: Role

    @property
    def supervisor(self) -> bool:
        return self.role == "supervisor"


class AccountError(RefusedError):
    """A name taken, a weak password, or a name and password that do not match (never says which of the two)."""


def password_problem(name: str, password: str) -> str | None:
    """Why ``password`` is not good enough, or None. Length matters most; the rest refuses the usual guesses."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(set(password)) < 5:
        return "a password needs at least 5 different characters"
    stem = re.sub(r"[\d\W_]+", "", password.lower())
    if stem in COMMON_STEMS or stem == name.lower():
        return "that password is too easy to guess"
    return None


class AccountStore:
    def __init__(self, sessions: Sessions, session_hours: float = 12.0) -> None:
        self._session = sessions
        self._hasher = PasswordHasher()
        # Verified against when the name is unknown or disabled, so a failure always costs one argon2 verify.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        self.session_hours = session_hours

    def add(self, name: str, password: str, role: Role = "counselor") -> Account:
        if not name.strip():
            raise AccountError("a name is needed")
        problem = password_problem(name, password)
        if problem:
            raise AccountError(problem)
        try:
            with self._session.begin() as session:
                session.add(Counselor(name=name, password_hash=self._hasher.hash(password), role=role))
        except IntegrityError as exc:
            raise AccountError(f"the name {name!r} is taken") from exc
        return Account(name=name, role=role)

    def login(self, name: str, password: str) -> tuple[Account, str]:
        """The account and a new session token."""
        with self._session() as session:
            row = session.get(Counselor, name)
        usable = row is not None and not row.disabled
        try:
            self._hasher.verify(row.password_hash if usable and row else self._dummy, password)
            if not usable or row is None:
                raise VerificationError("no such account")
        except (VerificationError, InvalidHashError) as exc:
            raise AccountError("wrong name or password") from exc
        token = secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(hours=self.session_hours)
        with self._session.begin() as session:
            session.add(CounselorSession(token_hash=hash_token(token), name=name, expires_at=expires))
        return Account.model_validate(row), token

    def who(self, token: str) -> Account | None:
        """The account a token belongs to, while its session lasts and the account is enabled."""
        with self._session() as session:
            found = session.get(CounselorSession, hash_token(token))
            if found is None or _aware(found.expires_at) < utcnow():
                return None
            row = session.get(Counselor, found.name)
            return Account.model_validate(row) if row and not row.disabled else None

    def logout(self, token: str) -> None:
        with self._session.begin() as session:
            session.execute(delete(CounselorSession).where(CounselorSession.token_hash == hash_token(token)))

    def disable(self, name: str) -> None:
        """No more logins, every session ended; the account's history (claimed tickets, notes) stays."""
        self._set_disabled(name, True)

    def enable(self, name: str) -> None:
        self._set_disabled(name, False)

    def _set_disabled(self, name: str, disabled: bool) -> None:
        with self._session.begin() as session:
            row = session.get(Counselor, name)
            if row is None:
                raise AccountError(f"no account {name!r}")
            row.disabled = disabled
            session.execute(delete(CounselorSession).where(CounselorSession.name == name))

    def remove(self, name: str) -> None:
        """The account and its sessions deleted (tickets keep the name they were claimed under)."""
        with self._session.begin() as session:
            row = session.get(Counselor, name)
            if row is None:
                raise AccountError(f"no account {name!r}")
            session.execute(delete(CounselorSession).where(CounselorSession.name == name))
            session.delete(row)

    def drop_expired(self) -> int:
        """Delete sessions past their time; how many."""
        with self._session.begin() as session:
            done = session.execute(delete(CounselorSession).where(CounselorSession.expires_at < utcnow()))
            return int(getattr(done, "rowcount", 0) or 0)

    def names(self) -> list[Account]:
        with self._session() as session:
            return [Account.model_validate(r) for r in session.scalars(select(Counselor).order_by(Counselor.name))]

    def disabled_names(self) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(Counselor.name).where(Counselor.disabled)))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
