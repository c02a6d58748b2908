"""A long agenda point is shown one area at a time: which items go together, in which order."""

from audit_app.domain.agenda import AgendaItem
from audit_app.models import ItemKind
from audit_app.services.followup_view import GENERAL, ItemView, item_groups

POINT = "3. SKA-krav i avtalet och avvikelser"


def _row(key: str, area: str) -> ItemView:
    item = AgendaItem(key=key, section_title=POINT, text=key, kind=ItemKind.ska_krav, area=area)
    return ItemView(
        item=item, answer=None, before=None, files=[], proposal=None, decided=None, dismissed=None
    )


def _shape(groups: list) -> list[tuple[str, list[str]]]:
    return [(g.label, [r.item.key for r in g.items]) for g in groups]


def test_a_short_point_is_shown_whole() -> None:
    rows = [_row(f"k{i}", "Personal" if i % 2 else "Ledning") for i in range(15)]
    groups = item_groups(rows)
    assert _shape(groups) == [("", [f"k{i}" for i in range(15)])]


def test_a_long_point_goes_by_area_in_the_agendas_order() -> None:
    rows = (
        [_row("fraga-1", POINT), _row("fraga-2", "")]  # the point's own questions
        + [_row(f"led-{i}", "Ledning och kvalitet") for i in range(6)]
        + [_row(f"pers-{i}", "Bemanning och kompetens") for i in range(5)]
        + [_row("led-extra", "Ledning och kvalitet")]
        + [_row(f"hsl-{i}", "Hälso- och sjukvård") for i in range(4)]
    )
    groups = item_groups(rows)
    assert _shape(groups) == [
        (GENERAL, ["fraga-1", "fraga-2"]),
        ("Ledning och kvalitet", [f"led-{i}" for i in range(6)] + ["led-extra"]),
        ("Bemanning och kompetens", [f"pers-{i}" for i in range(5)]),
        ("Hälso- och sjukvård", [f"hsl-{i}" for i in range(4)]),
    ]
    assert sum(len(g.items) for g in groups) == len(rows)  # nothing left out, nothing twice


def test_an_area_longer_than_a_page_is_shown_in_parts() -> None:
    rows = [_row(f"t{i}", "Tilläggskrav") for i in range(33)] + [_row("led", "Ledning")]
    groups = item_groups(rows, size=15)
    assert [(g.label, len(g.items)) for g in groups] == [
        ("Tilläggskrav 1–15", 15),
        ("Tilläggskrav 16–30", 15),
        ("Tilläggskrav 31–33", 3),
        ("Ledning", 1),
    ]


def test_a_long_point_without_areas_is_shown_in_numbered_parts() -> None:
    rows = [_row(f"q{i}", POINT) for i in range(20)]
    assert [(g.label, len(g.items)) for g in item_groups(rows)] == [
        ("Frågor 1–15", 15),
        ("Frågor 16–20", 5),
    ]
