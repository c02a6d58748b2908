"""Differences between two versions: items added, removed, reworded, moved, changed; roles."""

from audit_app.services import checklists
from tests.unit.checklists.fixtures import small


def test_diff_reports_added_removed_reworded_moved_and_changed() -> None:
    old = small()
    data = checklists.content_of(old)
    items_a = data["sections"][0]["items"]
    items_b = data["sections"][1]["items"]
    items_a[0]["text"] = "Finns en skriftlig rutin för avvikelser?"  # reworded
    items_a[1]["unit"] = "andel"  # changed
    moved = items_a.pop(2)  # a3 moves to the other section
    items_b.append(moved)
    items_b.pop(1)  # k2 removed
    items_a.append({"key": "a4", "text": "Ny fråga"})  # added
    new = checklists.validate_checklist(data)

    result = checklists.diff(old, new)
    assert [c.key for c in result.added] == ["a4"]
    assert [(c.key, c.old_text) for c in result.removed] == [("k2", "Egen fråga om avvikelser")]
    assert [(c.key, c.new_text) for c in result.reworded] == [
        ("a1", "Finns en skriftlig rutin för avvikelser?")
    ]
    assert [(c.key, c.details) for c in result.moved] == [
        ("a3", ('från "Avsnitt A" till "3. SKA-krav i avtalet"',))
    ]
    assert [(c.key, c.details) for c in result.changed] == [("a2", ('enhet: "procent" → "andel"',))]
    assert result.summary() == ("1 ny, 1 borttagen, 1 omformulerad, 1 flyttad, 1 ändrad i övrigt")
    assert checklists.diff(old, old).is_empty
    assert checklists.diff(old, old).summary() == "inga skillnader"


def test_diff_detects_reordering_within_a_section() -> None:
    old = small()
    data = checklists.content_of(old)
    items = data["sections"][0]["items"]
    items.insert(0, items.pop(2))
    result = checklists.diff(old, checklists.validate_checklist(data))
    assert [(c.key, c.details) for c in result.moved] == [("a3", ("ny plats i avsnittet",))]
    assert not result.added and not result.removed


def test_diff_names_a_section_role_that_changed() -> None:
    old = small()
    data = checklists.content_of(old)
    data["sections"][0]["role"] = "findings"
    data["sections"][1]["role"] = None
    data["sections"][1]["items"].append({"key": "k3", "text": "Fler frågor"})
    result = checklists.diff(old, checklists.validate_checklist(data))
    assert result.sections == [
        'Avsnittet "Avsnitt A": roll i dagordningen ingen → "iakttagelser"',
        'Avsnittet "3. SKA-krav i avtalet": roll i dagordningen "avtalets krav" → ingen',
    ]
    assert result.summary() == "1 ny, 2 ändringar av avsnitt"


def test_diff_of_stored_content_equals_diff_of_checklists() -> None:
    old, new = small(), small().model_copy(update={"name": "Nytt namn"})
    by_content = checklists.diff(checklists.content_of(old), checklists.content_of(new))
    assert by_content == checklists.diff(old, new)
    assert by_content.meta == ['Namn: "Liten checklista" → "Nytt namn"']
