"""User text is shown as plain text on every page: markdown, HTML and links typed by a user
produce no image, link or HTML element, so `![x](http://host/p.png)` in a comment never makes
a viewer's browser fetch anything.

Hostile text is written into every kind of user text of the demo database (names, titles,
requirements, comments, findings, actions, notes, file names, a display name); every page is
rendered as the roles that see it, and every string Streamlit renders as markdown (bodies,
captions, alerts, headings, toasts, and the labels of expanders, tabs, buttons, checkboxes and
radio options) is parsed as CommonMark: no image, link or HTML token may come out of it.
"""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from markdown_it import MarkdownIt
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from audit_app.db import make_engine
from audit_app.models import (
    Action,
    Assessment,
    Contract,
    Contractor,
    Evidence,
    Finding,
    FollowUp,
    FollowUpNote,
    FollowUpStatus,
    Requirement,
    Sanction,
    Signal,
    Unit,
    User,
)

HOST = "host.example"
HOSTILE = (
    f"![x](http://{HOST}/p.png) [klicka](http://{HOST}/a) <img src=http://{HOST}/i.png> "
    f"www.{HOST} **fet** :red[röd] $x$"
)
MARKDOWN_ELEMENTS = {
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "toast",
}
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _poison(url: str) -> uuid.UUID:
    """Write hostile text into the demo database; return an ongoing follow-up's id."""
    engine = make_engine(url)
    with Session(engine) as s:
        for c in s.exec(select(Contractor)).all():
            c.name = f"{c.name} {HOSTILE}"
            c.contact_name = HOSTILE
        for u in s.exec(select(Unit)).all():
            u.name = f"{u.name} {HOSTILE}"
        for k in s.exec(select(Contract)).all():
            k.title = f"{k.title} {HOSTILE}"
            k.extension_option = HOSTILE
        for r in s.exec(select(Requirement)).all():
            r.text = f"{r.text} {HOSTILE}"
        for a in s.exec(select(Assessment)).all():
            a.comment = HOSTILE
        for f in s.exec(select(Finding)).all():
            f.title, f.description, f.area = HOSTILE, HOSTILE, HOSTILE
        for act in s.exec(select(Action)).all():
            act.what, act.responsible = HOSTILE, HOSTILE
        for signal in s.exec(select(Signal)).all():
            signal.note = HOSTILE
        for sanction in s.exec(select(Sanction)).all():
            sanction.decided_by, sanction.note = HOSTILE, HOSTILE
        for user in s.exec(select(User)).all():
            user.display_name = f"{user.display_name} {HOSTILE}"
        ongoing = s.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)).all()
        for f in s.exec(select(FollowUp)).all():
            f.place = HOSTILE
            f.correction_reason = HOSTILE
            f.participants = [
                {"name": HOSTILE, "role": HOSTILE, "side": "kommun"},
                {"name": HOSTILE, "role": HOSTILE, "side": "utforare"},
            ]
            notes = s.exec(select(FollowUpNote).where(FollowUpNote.followup_id == f.id)).all()
            existing = {n.key: n for n in notes}  # the demo writes point 2's notes
            for key in ("personaltathet", "bemanning_kommentar"):
                note = existing.get(key) or FollowUpNote(followup_id=f.id, key=key)
                note.value = HOSTILE
                s.add(note)
            f.agenda = [{**item, "text": f"{item.get('text', '')} {HOSTILE}"} for item in f.agenda]
        target = ongoing[0]
        item = next(i for i in target.agenda if i.get("kind") == "ska_krav")
        s.add(
            Evidence(
                followup_id=target.id,
                item_key=item["key"],
                filename=f"{HOSTILE}.pdf",
                stored_path="/nonexistent",
                sha256="0" * 64,
                size=1,
            )
        )
        s.commit()
        fid = target.id
    engine.dispose()
    return fid


def _strings(node: Any) -> Iterator[tuple[str, str]]:
    """Every (element type, text) of the tree that Streamlit renders as markdown."""
    kind = getattr(node, "type", "")
    if kind in MARKDOWN_ELEMENTS and isinstance(getattr(node, "value", None), str):
        yield kind, node.value
    label = getattr(node, "label", None)
    if isinstance(label, str) and kind not in ("text_input", "text_area", "selectbox"):
        yield f"{kind} label", label
    if kind == "radio":
        yield from ((f"{kind} option", str(o)) for o in node.options)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _strings(child)


def _tokens(text: str) -> Iterator[str]:
    for token in PARSER.parse(text):
        yield token.type
        for child in token.children or []:
            yield child.type


def _check(at: AppTest, where: str) -> int:
    assert not at.exception, [e.value for e in at.exception]
    checked = 0
    for kind, text in _strings(at._tree):
        bad = {"image", "link_open", "html_inline", "html_block"} & set(_tokens(text))
        assert not bad, f"{where}: {kind} makes {bad}: {text[:160]!r}"
        assert f"http://{HOST}" not in text and f"www.{HOST}" not in text, (where, kind, text)
        checked += HOST in text.replace("\\", "")
    return checked


def _view(module: str, username: str) -> None:
    import importlib

    from tests.app.harness import login_as

    login_as(username)
    importlib.import_module(module).render()


def _followup(followup_id: str, username: str) -> None:
    import uuid

    from audit_app.views import followup
    from tests.app.harness import login_as

    login_as(username)
    followup.render(uuid.UUID(followup_id))


@pytest.fixture
def poisoned(app_db: str) -> uuid.UUID:
    return _poison(app_db)


def test_hostile_text_makes_no_image_or_link_on_any_page(poisoned: uuid.UUID) -> None:
    seen = 0
    pages = [
        ("audit_app.views.start", "revisor"),
        ("audit_app.views.start", "chef"),
        ("audit_app.views.followups", "revisor"),
        ("audit_app.views.contractors", "revisor"),
        ("audit_app.views.contracts", "revisor"),
        ("audit_app.views.users", "admin"),
        ("audit_app.views.overview", "chef"),
        ("audit_app.views.actions", "revisor"),
        ("audit_app.views.planning", "revisor"),
        ("audit_app.views.signals", "mas"),
        ("audit_app.views.sanctions", "chef"),
    ]
    for module, username in pages:
        at = AppTest.from_function(_view, args=(module, username), default_timeout=60)
        at.run()
        seen += _check(at, f"{module} as {username}")
    at = AppTest.from_function(_followup, args=(str(poisoned), "revisor"), default_timeout=60)
    at.run()
    seen += _check(at, "followup page")
    for tab in [t.label for t in at.tabs]:
        at.session_state["flik"] = tab
        at.run()
        seen += _check(at, f"followup tab {tab}")
    assert seen >= 20, "the hostile text is shown (escaped) in many places"
