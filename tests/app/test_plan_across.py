"""The plan form in AppTest: a riktad uppföljning over units of two contractors, chosen per
contractor; the kontroll av biståndsärenden without contractor or unit."""

from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from audit_app.db import make_engine
from audit_app.models import FollowUp, FollowUpKind, FollowUpUnit, RiktadReason, Unit
from audit_app.services import followups


def _kind(at: AppTest, kind: FollowUpKind) -> AppTest:
    at.selectbox(key="plan.kind.0").set_value(kind).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_riktad_uppfoljning_is_planned_over_units_of_two_contractors(view, app_db: str) -> None:  # type: ignore[no-untyped-def]
    at = _kind(view("audit_app.views.followups", "revisor"), FollowUpKind.riktad)
    assert not [s for s in at.selectbox if s.label == "Entreprenör *"]  # chosen by unit
    per_contractor = [m for m in at.multiselect if m.label.startswith("Enheter hos ")]
    assert [m.label for m in per_contractor] == [
        "Enheter hos Omsorgshuset Vega AB",
        "Enheter hos Stiftelsen Klövern Omsorg",
        "Enheter hos Trygga Händer Vård AB",
    ]
    vega, _klovern, trygga = per_contractor
    vega.set_value([next(u for u in vega.options if u == "Björkhagen")])
    trygga.set_value([next(u for u in trygga.options if u == "Hemtjänst Södra")])
    next(s for s in at.selectbox if s.label == "Orsak *").set_value(RiktadReason.ledningsgrupp)
    next(b for b in at.button if b.label == "Planera uppföljningen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    engine = make_engine(app_db)
    with Session(engine) as s:
        (made,) = [
            f
            for f in s.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.riktad))
            if f.reason is RiktadReason.ledningsgrupp
        ]
        names = s.exec(
            select(Unit.name)
            .join(FollowUpUnit, col(FollowUpUnit.unit_id) == Unit.id)
            .where(FollowUpUnit.followup_id == made.id)
        ).all()
        assert sorted(names) == ["Björkhagen", "Hemtjänst Södra"]
        assert made.contractor_id is None and made.contract_id is None
        assert followups.contractor_names(s, [made.id])[made.id] == [
            "Omsorgshuset Vega AB",
            "Trygga Händer Vård AB",
        ]
    engine.dispose()


def test_the_bistandsarenden_check_hides_the_contractor(view, app_db: str) -> None:  # type: ignore[no-untyped-def]
    at = _kind(view("audit_app.views.followups", "revisor"), FollowUpKind.bistandsarenden)
    assert not [s for s in at.selectbox if s.label in ("Entreprenör *", "Avtal")]
    assert not [m for m in at.multiselect if m.label.startswith("Enheter")]
    assert any("utskottets egen kontroll" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Planera uppföljningen").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    engine = make_engine(app_db)
    with Session(engine) as s:
        newest = s.exec(
            select(FollowUp)
            .where(FollowUp.kind == FollowUpKind.bistandsarenden)
            .order_by(col(FollowUp.created_at).desc())
        ).first()
        assert newest is not None and newest.contractor_id is None
        assert followups.unit_ids_of(s, newest.id) == []
    engine.dispose()
