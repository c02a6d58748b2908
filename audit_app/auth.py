"""Users, roles, password hashing and the permission checks the services call."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from audit_app.domain.labels import ROLE_LABELS
from audit_app.domain.rules import JUSTERA_ROLES
from audit_app.domain.svtext import lower_first
from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import Role, User

_hasher = PasswordHasher()

# Who may do what. The services call `require`; the pages only hide what would be refused.
EDIT_REGISTERS = {Role.admin, Role.revisor}
EDIT_CHECKLISTS = {Role.admin, Role.revisor}
CONDUCT = {Role.admin, Role.revisor}
JUSTERA = set(JUSTERA_ROLES)
MANAGE_USERS = {Role.admin}
MANAGE_TEMPLATES = {Role.admin}
# Signals (lex Sarah, lex Maria, klagomål...) are entered by those who hold them: the MAS or
# utredningssekreterare, or the revisor. Sanctions are recorded as decided by the revisor or the
# förvaltningschef.
EDIT_SIGNALS = {Role.admin, Role.revisor, Role.utredare}
RECORD_SANCTIONS = {Role.admin, Role.revisor, Role.forvaltningschef}


@dataclass(frozen=True)
class Actor:
    """Who is calling a service: the logged-in user, or the command line (no user id)."""

    username: str
    display_name: str
    role: Role
    user_id: uuid.UUID | None = None

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(user.username, user.display_name, user.role, user.id)


SYSTEM = Actor("system", "Systemet", Role.admin)


def require(actor: Actor, allowed: set[Role], what: str) -> None:
    """Refuse the call unless the actor's role is allowed (`what` says what was tried)."""
    if actor.role not in allowed:
        raise PermissionDenied(
            f"Din roll ({lower_first(ROLE_LABELS[actor.role])}) får inte {what}. "
            "Be en administratör om behörighet om du behöver det."
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user with this name and password, or None."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active:
        hash_password(password)  # same time whether or not the user exists
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
        session.commit()
    return user


def _check_password(password: str) -> None:
    if len(password) < 4:
        raise ValidationFailed(["Lösenordet måste ha minst 4 tecken."])


def add_user(
    session: Session, actor: Actor, username: str, display_name: str, role: Role, password: str
) -> User:
    """Create a local account."""
    require(actor, MANAGE_USERS, "skapa konton")
    username = username.strip().lower()
    errors = []
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        errors.append(
            "Användarnamnet får bara innehålla bokstäver, siffror, punkt och bindestreck."
        )
    elif session.exec(select(User).where(User.username == username)).first():
        errors.append(f"Användarnamnet {username!r} finns redan.")
    if not display_name.strip():
        errors.append("Ange ett namn som visas för användaren.")
    if errors:
        raise ValidationFailed(errors)
    _check_password(password)
    user = User(
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, actor: Actor, username: str, password: str) -> None:
    """Change a password: one's own, or anyone's as admin."""
    if actor.username != username:
        require(actor, MANAGE_USERS, "byta lösenord åt andra")
    _check_password(password)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise ValidationFailed([f"Det finns ingen användare {username!r}."])
    user.password_hash = hash_password(password)
    session.add(user)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)))


def display_names(session: Session, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Map user ids to the names people see ("Karin Ek"), in one query."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(wanted)))
    return dict(rows.all())


def display_name(session: Session, user_id: uuid.UUID | None, default: str = "") -> str:
    """The name people see for one user id ("" for None, e.g. the command line)."""
    return display_names(session, [user_id]).get(user_id, default) if user_id else default


F = TypeVar("F", bound=Callable[..., Any])


def reads(service: F) -> F:
    """Mark a service that takes the actor to decide what it may read (not a write).

    Every other service taking (session, actor) writes and starts with `require`; a test calls
    each of them as a läsare and expects PermissionDenied before anything is read or written.
    """
    service.__reads__ = True  # type: ignore[attr-defined]
    return service
