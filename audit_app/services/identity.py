"""Sign-in through the municipality's identity provider (OIDC via `st.login`, e.g. Entra ID).

Streamlit does the OIDC flow and hands over the ID token's claims (`st.user`); this module
decides who that is here: the role from a mapping in `.streamlit/secrets.toml`, and the local
user record, created at the first sign-in or linked to an account whose username is the
person's e-mail address. The mapping is the truth: a person whose groups or e-mail no longer
match any role cannot sign in, and a changed group changes the role at the next sign-in.

```toml
[sso_roles]  # the first role in this order that matches wins
admin = ["it-forvaltning@exempelby.se"]
revisor = ["0b3f5c1e-…-group-object-id"]
forvaltningschef = ["lars.berg@exempelby.se"]
utredare = ["mas@exempelby.se"]  # MAS / utredningssekreterare: records signals
lasare = ["*@exempelby.se"]
```

An entry with "@" is an e-mail address ("*@domain" for everyone of a domain); any other entry
is a group (the object id or name in the token's `groups` claim) or an app role (`roles`).
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from audit_app.errors import UserError, ValidationFailed
from audit_app.models import Role, User
from audit_app.services.privacy import guard

ROLE_ORDER = (Role.admin, Role.revisor, Role.forvaltningschef, Role.utredare, Role.lasare)
NO_PASSWORD = "!sso"
"""The password hash of a user who only signs in through the identity provider (no match)."""
FRESH_SECONDS = 300
"""How old an identity token may be when it signs someone in: a stale identity cookie (the
login ended, idle or logged out) must go through the identity provider again."""


@dataclass(frozen=True)
class Identity:
    """Who the identity provider says signed in."""

    external_id: str
    email: str
    name: str
    groups: frozenset[str]


def parse_role_mapping(raw: Mapping[str, Any] | None) -> dict[Role, list[str]]:
    """Read `[sso_roles]`; raise ValidationFailed in Swedish for an unknown role or bad entry."""
    mapping: dict[Role, list[str]] = {}
    errors = []
    for key, entries in (raw or {}).items():
        try:
            role = Role(str(key).strip().lower())
        except ValueError:
            errors.append(
                f"[sso_roles]: {key!r} är ingen roll; använd admin, revisor, "
                "forvaltningschef, utredare (MAS / utredningssekreterare) eller lasare."
            )
            continue
        values = [entries] if isinstance(entries, str) else list(entries or [])
        if not all(isinstance(v, str) and v.strip() for v in values):
            errors.append(f"[sso_roles] {key}: ange en lista med e-postadresser eller grupper.")
            continue
        mapping[role] = [v.strip() for v in values]
    if errors:
        raise ValidationFailed(errors)
    return mapping


def identity_of(claims: Mapping[str, Any]) -> Identity:
    """The identity in the ID token's claims (Entra ID, Google, Okta, ...)."""
    subject = str(claims.get("oid") or claims.get("sub") or "").strip()
    issuer = str(claims.get("iss") or claims.get("tid") or "").strip()
    email = str(
        claims.get("email") or claims.get("preferred_username") or claims.get("upn") or ""
    ).strip()
    if not subject or not issuer:
        raise UserError(
            "Inloggningen från kommunens identitetstjänst saknar användarens id. "
            "Be IT kontrollera inställningarna."
        )
    groups = _strings(claims.get("groups")) | _strings(claims.get("roles"))
    name = str(claims.get("name") or email or subject).strip()
    return Identity(f"{issuer}|{subject}", email.lower(), name, frozenset(groups))


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable):
        return {str(v) for v in value}
    return set()


def _matches(entry: str, identity: Identity) -> bool:
    entry = entry.strip()
    if "@" in entry:
        entry = entry.lower()
        if entry.startswith("*@"):
            return bool(identity.email) and identity.email.endswith(entry[1:])
        return identity.email == entry
    return entry in identity.groups or entry.lower() in {g.lower() for g in identity.groups}


def role_for(identity: Identity, mapping: Mapping[Role, list[str]]) -> Role | None:
    """The role of the identity: the first of admin, revisor, chef, läsare that matches."""
    for role in ROLE_ORDER:
        if any(_matches(entry, identity) for entry in mapping.get(role, [])):
            return role
    return None


def is_fresh(claims: Mapping[str, Any], now: float | None = None) -> bool:
    """Tell whether the ID token was issued just now (a sign-in, not a stale cookie)."""
    issued = claims.get("iat")
    if not isinstance(issued, int | float):
        return True  # a provider without "iat": nothing to check against
    return 0 <= (now if now is not None else time.time()) - float(issued) <= FRESH_SECONDS


def sign_in(session: Session, claims: Mapping[str, Any], mapping: Mapping[Role, list[str]]) -> User:
    """The local user of a signed-in identity: found, linked by e-mail or created.

    Raise UserError in Swedish when the identity has no role here or the account is
    deactivated.
    """
    identity = identity_of(claims)
    role = role_for(identity, mapping)
    who = identity.email or identity.name
    if role is None:
        raise UserError(
            f"{who} har ingen roll i Revisionsstöd. Be en administratör lägga till dig "
            "(grupp eller e-postadress i inställningarna för inloggningen)."
        )
    guard({"name": ("Namn", identity.name), "email": ("E-post", identity.email)})
    user = session.exec(select(User).where(User.external_id == identity.external_id)).first()
    if user is None and identity.email:
        user = session.exec(
            select(User).where(User.username == identity.email, User.external_id.is_(None))  # type: ignore[union-attr]
        ).first()
    if user is None:
        user = User(
            username=_free_username(session, identity),
            display_name=identity.name[:120],
            role=role,
            password_hash=NO_PASSWORD,
        )
    if not user.active:
        raise UserError(f"Kontot {user.username} är avstängt. Kontakta en administratör.")
    user.external_id = identity.external_id
    user.role = role
    if identity.name:
        user.display_name = identity.name[:120]
    session.add(user)
    session.flush()
    return user


def _free_username(session: Session, identity: Identity) -> str:
    base = (identity.email or identity.external_id.rsplit("|", 1)[-1]).lower()[:72]
    name, number = base, 1
    while session.exec(select(User).where(User.username == name)).first() is not None:
        number += 1
        name = f"{base}-{number}"
    return name
