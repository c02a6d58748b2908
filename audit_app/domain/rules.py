"""Rules of a follow-up that need no database: proposals, review marks, the four-eyes rule."""

import uuid
from collections.abc import Iterable

from audit_app.domain.agenda import AgendaItem
from audit_app.models import (
    ActionStatus,
    FindingKind,
    FollowUpKind,
    FollowUpStatus,
    ItemKind,
    Result,
    ReviewMark,
    Role,
)

RESULT_ORDER = {Result.uppfyllt: 2, Result.delvis_uppfyllt: 1, Result.ej_uppfyllt: 0}
"""Better to worse, for the comparison with the previous follow-up."""

NOT_MET = (Result.ej_uppfyllt, Result.delvis_uppfyllt)

REVIEW_MARK_STATUS: dict[ReviewMark, ActionStatus] = {
    ReviewMark.genomford: ActionStatus.genomford,
    ReviewMark.verifierad: ActionStatus.verifierad,
    ReviewMark.ej_genomford: ActionStatus.ej_genomford,
    ReviewMark.kvarstar: ActionStatus.pagar,
}
"""The action status a mark in agenda point 1 sets; only verifierad closes an action."""


def mark_of(status: ActionStatus) -> ReviewMark:
    """The review mark an action status stands for (öppen and pågår read as kvarstår)."""
    for mark, mapped in REVIEW_MARK_STATUS.items():
        if mapped is status and mark is not ReviewMark.kvarstar:
            return mark
    return ReviewMark.kvarstar


def proposal_for(item: AgendaItem, result: Result) -> FindingKind | None:
    """The finding a result proposes: a SKA-krav not (fully) met is an avvikelse, anything
    else not met a förbättringsområde; met, not applicable or not assessed proposes nothing."""
    if result not in NOT_MET or not item.is_assessment():
        return None
    if item.kind is ItemKind.ska_krav:
        return FindingKind.avvikelse
    return FindingKind.forbattringsomrade


JUSTERA_ROLES = frozenset({Role.forvaltningschef, Role.revisor})
"""Who may justera: the förvaltningschef or a revisor (an admin account never justerar)."""


def justera_refusal(
    role: Role, user_id: uuid.UUID | None, writers: Iterable[uuid.UUID | None]
) -> str | None:
    """Why this user may not justera a version written by `writers`, or None if they may.

    The four-eyes rule: the one who justerar has written nothing in the version (planned it,
    answered, recorded findings or actions).
    """
    if role not in JUSTERA_ROLES:
        return "Justering görs av förvaltningschefen eller en revisor."
    if user_id is None:
        return "Justering kräver en inloggad användare."
    if user_id in set(writers):
        return (
            "Du har skrivit i den här versionen av uppföljningen och kan därför inte justera "
            "den. Be förvaltningschefen eller en annan revisor att justera."
        )
    return None


HELD = (FollowUpStatus.pagar, FollowUpStatus.klar, FollowUpStatus.justerad)
"""A follow-up that has taken place (started or later); a planned one has not."""

PREVIOUS_KINDS: dict[FollowUpKind, tuple[FollowUpKind, ...]] = {
    FollowUpKind.avtal: (FollowUpKind.avtal, FollowUpKind.ateruppfoljning),
    FollowUpKind.ateruppfoljning: (FollowUpKind.avtal, FollowUpKind.ateruppfoljning),
    FollowUpKind.ledningssystem: (FollowUpKind.ledningssystem,),
    FollowUpKind.kvalitetsrevision: (FollowUpKind.kvalitetsrevision,),
    FollowUpKind.riktad: (FollowUpKind.riktad,),
    FollowUpKind.bistandsarenden: (FollowUpKind.bistandsarenden,),
}
"""Which earlier follow-ups a follow-up of each kind continues (point 1 reviews it): an
avtalsuppföljning continues the last held avtalsuppföljning or återuppföljning of the unit,
never a planned one and never another kind."""


SEES_UNFINISHED = frozenset({Role.admin, Role.revisor, Role.forvaltningschef})
"""Roles that see follow-ups before they are justerade; a läsare (the committee) sees only
justerade follow-ups, their final documents and figures built from them."""


def can_read(role: Role, status: FollowUpStatus) -> bool:
    return role in SEES_UNFINISHED or status is FollowUpStatus.justerad
