"""Users, roles, password hashing and the permission checks the services call."""

import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from audit_app.domain.labels import ROLE_LABELS
from audit_app.domain.rules import JUSTERA_ROLES
from audit_app.domain.svtext import lower_first
from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import Role, User, utcnow
from audit_app.services import logins
from audit_app.services.privacy import guard

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

MIN_PASSWORD_LENGTH = 12
LOCK_AFTER = 5
"""Failed log-ins in a row that lock an account."""
LOCK_FOR = timedelta(minutes=15)
LOGIN_FAILED = (
    "Fel användarnamn eller lösenord. Efter 5 misslyckade försök i rad spärras kontot i 15 minuter."
)
"""The one message of every failed log-in: it never tells whether the account exists."""


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


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive UTC times; compare them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_locked(user: User, now: datetime | None = None) -> bool:
    """Tell whether the account is locked after too many failed log-ins."""
    return user.locked_until is not None and _aware(user.locked_until) > (now or utcnow())


def authenticate(
    session: Session, username: str, password: str, now: datetime | None = None
) -> User | None:
    """Return the active, unlocked user with this name and password, or None.

    A wrong password counts; the fifth in a row locks the account for 15 minutes (stored, so
    every server process and a restart see it). A locked, deactivated or unknown account fails
    the same way and in the same time, so the answer never tells whether an account exists.
    The caller commits (the count must be kept even though the log-in failed).
    """
    now = now or utcnow()
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active or is_locked(user, now):
        hash_password(password)  # same time whether or not the user exists
        return None
    if not verify_password(user.password_hash, password):
        _count_failure(session, user, now)
        return None
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def _count_failure(session: Session, user: User, now: datetime) -> None:
    """Add one failed log-in (in the database, so parallel attempts all count); lock at 5."""
    session.execute(
        update(User).where(col(User.id) == user.id).values(failed_logins=User.failed_logins + 1)
    )
    session.refresh(user)
    if user.failed_logins >= LOCK_AFTER:
        user.failed_logins = 0
        user.locked_until = now + LOCK_FOR
        session.add(user)
    session.flush()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            [
                f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken. En fras av några ord går bra."
            ]
        )


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    *,
    demo: bool = False,
) -> User:
    """Create a local account; `demo` marks a demo account, whose password is public."""
    require(actor, MANAGE_USERS, "skapa konton")
    guard({"username": ("Användarnamn", username), "display_name": ("Namn", display_name)})
    username = username.strip().lower()
    errors = []
    if not username or not all(ch.isalnum() or ch in "._-@" for ch in username):
        errors.append(
            "Användarnamnet får bara innehålla bokstäver, siffror, punkt, bindestreck och @ "
            "(en e-postadress kopplas till kommunens inloggning)."
        )
    elif session.exec(select(User).where(User.username == username)).first():
        errors.append(f"Användarnamnet {username!r} finns redan.")
    if not display_name.strip():
        errors.append("Ange ett namn som visas för användaren.")
    if errors:
        raise ValidationFailed(errors)
    if not demo:
        _check_password(password)
    user = User(
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
        demo=demo,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, actor: Actor, username: str, password: str) -> None:
    """Change a password: one's own, or anyone's as admin."""
    if actor.username != username:
        require(actor, MANAGE_USERS, "byta lösenord åt andra")
    _check_password(password)
    user = _user(session, username)
    user.password_hash = hash_password(password)
    user.demo = False  # the password is no longer the public demo password
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


def _user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise ValidationFailed([f"Det finns ingen användare {username!r}."])
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Deactivate (or activate again) an account; a deactivated one's log-ins end at once."""
    require(actor, MANAGE_USERS, "stänga av eller aktivera konton")
    user = _user(session, username)
    if not active:
        if actor.user_id is not None and user.id == actor.user_id:
            raise ValidationFailed(["Du kan inte stänga av ditt eget konto."])
        admins = session.exec(
            select(User).where(User.role == Role.admin, col(User.active).is_(True))
        ).all()
        if user.role is Role.admin and [a.id for a in admins] == [user.id]:
            raise ValidationFailed(["Det sista aktiva administratörskontot kan inte stängas av."])
        logins.end_all(session, user.id)
    user.active = active
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.flush()
    return user


def demo_accounts(session: Session) -> list[str]:
    """The usernames of the active demo accounts (public password), for the log-in page."""
    rows = session.exec(
        select(User.username)
        .where(col(User.demo).is_(True), col(User.active).is_(True))
        .order_by(col(User.username))
    )
    return list(rows)


def create_first_admin(session: Session, username: str = "admin") -> tuple[User, str]:
    """Create the administrator of a new database with a generated password (shown once)."""
    password = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
    user = User(
        username=username,
        display_name="Administratör",
        role=Role.admin,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user, password


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
