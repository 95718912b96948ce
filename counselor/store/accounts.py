"""Caseworker accounts: argon2 password hashes, session tokens (only their hashes stored), two roles."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from counselor.store.ids import hash_token
from counselor.store.sessions import Sessions
from counselor.store.tables import Counselor, CounselorSession, utcnow

Role = Literal["counselor", "supervisor"]


class Account(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    role: Role

    @property
    def supervisor(self) -> bool:
        return self.role == "supervisor"


class AccountError(Exception):
    """A name taken, or a name and password that do not match (never says which of the two)."""


class AccountStore:
    def __init__(self, sessions: Sessions, session_hours: float = 12.0) -> None:
        self._session = sessions
        self._hasher = PasswordHasher()
        self.session_hours = session_hours

    def add(self, name: str, password: str, role: Role = "counselor") -> Account:
        if not name.strip() or len(password) < 8:
            raise AccountError("a name and a password of at least 8 characters are needed")
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
        try:
            if row is None:
                raise VerificationError("no such account")
            self._hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError) as exc:
            raise AccountError("wrong name or password") from exc
        token = secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(hours=self.session_hours)
        with self._session.begin() as session:
            session.add(CounselorSession(token_hash=hash_token(token), name=name, expires_at=expires))
        return Account.model_validate(row), token

    def who(self, token: str) -> Account | None:
        with self._session() as session:
            found = session.get(CounselorSession, hash_token(token))
            if found is None or _aware(found.expires_at) < utcnow():
                return None
            row = session.get(Counselor, found.name)
            return Account.model_validate(row) if row else None

    def logout(self, token: str) -> None:
        with self._session.begin() as session:
            session.execute(delete(CounselorSession).where(CounselorSession.token_hash == hash_token(token)))

    def names(self) -> list[Account]:
        with self._session() as session:
            return [Account.model_validate(r) for r in session.scalars(select(Counselor).order_by(Counselor.name))]


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
