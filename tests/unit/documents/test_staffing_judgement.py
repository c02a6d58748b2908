"""Point 2 of the minutes shows what the schedule review measured beside the revisor's answer,
and the revisor's reason where "uppfyllt" was kept against it (issue 12, item 6)."""

import uuid

from audit_app.models import Assessment, Result
from audit_app.services.documents.parts import answer_comment


def _answer(**fields: object) -> Assessment:
    return Assessment(followup_id=uuid.uuid4(), item_key="bemanning-1", **fields)


def test_the_measure_and_the_kept_judgement_both_stand_in_the_minutes() -> None:
    a = _answer(
        result=Result.uppfyllt,
        measured="3 pass av 84 hade färre i tjänst än åtagandet.",
        measured_met=False,
        override_reason="Passen täcktes av timanställda som saknas i exporten.",
        comment="Verksamhetschefen visade bemanningslistorna.",
    )
    assert answer_comment(a) == (
        "Schemagranskningen: 3 pass av 84 hade färre i tjänst än åtagandet. "
        "Bedömningen står fast trots schemagranskningen: Passen täcktes av timanställda som "
        "saknas i exporten. Verksamhetschefen visade bemanningslistorna."
    )


def test_an_answer_without_a_measure_shows_only_the_comment() -> None:
    assert answer_comment(_answer(comment="  Rutinen finns. ")) == "Rutinen finns."
    assert answer_comment(_answer()) == ""
    assert answer_comment(None) == ""
