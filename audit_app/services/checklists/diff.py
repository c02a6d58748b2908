"""Differences between two versions of a checklist, as people read them before saving."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from audit_app.domain.labels import SECTION_ROLE_LABELS
from audit_app.models import SectionRole
from audit_app.services.checklists.format import Checklist, checklist_of


@dataclass(frozen=True)
class ItemChange:
    """How one item differs between two versions."""

    key: str
    section: str
    old_text: str
    new_text: str
    details: tuple[str, ...] = ()


@dataclass
class ChecklistDiff:
    """Differences between two versions of a checklist."""

    added: list[ItemChange] = field(default_factory=list)
    removed: list[ItemChange] = field(default_factory=list)
    reworded: list[ItemChange] = field(default_factory=list)
    moved: list[ItemChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.reworded
            or self.moved
            or self.changed
            or self.sections
            or self.meta
        )

    def summary(self) -> str:
        """Return a one-line Swedish summary, e.g. '2 nya, 1 borttagen, 3 omformulerade'."""
        parts = []
        for count, one, many in (
            (len(self.added), "ny", "nya"),
            (len(self.removed), "borttagen", "borttagna"),
            (len(self.reworded), "omformulerad", "omformulerade"),
            (len(self.moved), "flyttad", "flyttade"),
            (len(self.changed), "ändrad i övrigt", "ändrade i övrigt"),
        ):
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        if self.sections:
            count = len(self.sections)
            parts.append(f"{count} {'ändring' if count == 1 else 'ändringar'} av avsnitt")
        if self.meta:
            count = len(self.meta)
            word = "ändring" if count == 1 else "ändringar"
            parts.append(f"{count} {word} av uppgifter om checklistan")
        return ", ".join(parts) if parts else "inga skillnader"


_COMPARED = [
    ("kind", "typ"),
    ("answer", "svarstyp"),
    ("unit", "enhet"),
    ("clause", "avtalspunkt"),
    ("guidance", "vägledning"),
    ("evidence_required", "underlag krävs"),
    ("applies_to", "gäller för"),
    ("area", "område"),
]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "alla"
    if isinstance(value, str) and len(value) > 60:
        return f'"{value[:57]}…"'
    return f'"{value}"' if isinstance(value, str) else str(value)


def _role(role: SectionRole | None) -> str:
    return f'"{SECTION_ROLE_LABELS[role].lower()}"' if role else "ingen"


_META = (
    ("name", "Namn"),
    ("kind", "Uppföljningstyp"),
    ("description", "Beskrivning"),
    ("applies_to", "Gäller för"),
)


def _changes(a: object, b: object, compared: Iterable[tuple[str, str]]) -> list[str]:
    """'Label: before → after' for each compared field that differs (enums by their code)."""
    out = []
    for name, label in compared:
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            if isinstance(before, Enum):
                before, after = before.value, after.value
            if name == "applies_to":
                before, after = [k.value for k in before], [k.value for k in after]
            out.append(f"{label}: {_shown(before)} → {_shown(after)}")
    return out


def diff(old: Checklist | dict[str, Any], new: Checklist | dict[str, Any]) -> ChecklistDiff:
    """Compare two checklists: items added, removed, reworded, moved or otherwise changed."""
    a = old if isinstance(old, Checklist) else checklist_of(old)
    b = new if isinstance(new, Checklist) else checklist_of(new)
    result = ChecklistDiff()
    result.meta.extend(_changes(a, b, _META))
    old_sections = {s.key: s for s in a.sections}
    new_sections = {s.key: s for s in b.sections}
    for key, s in new_sections.items():
        if key not in old_sections:
            result.sections.append(f'Nytt avsnitt "{s.title}"')
        elif old_sections[key].title != s.title:
            result.sections.append(f'Avsnittet "{old_sections[key].title}" heter nu "{s.title}"')
        elif old_sections[key].description != s.description:
            result.sections.append(f'Avsnittet "{s.title}" har ny beskrivning')
        if key in old_sections and old_sections[key].role is not s.role:
            result.sections.append(
                f'Avsnittet "{s.title}": roll i dagordningen {_role(old_sections[key].role)} → '
                f"{_role(s.role)}"
            )
    for key, s in old_sections.items():
        if key not in new_sections:
            result.sections.append(f'Avsnittet "{s.title}" är borttaget')
    old_order = [s.key for s in a.sections if s.key in new_sections]
    new_order = [s.key for s in b.sections if s.key in old_sections]
    if old_order != new_order:
        result.sections.append("Avsnitten har ny ordning")

    old_items = {i.key: (s, i) for s, i in a.items()}
    new_items = {i.key: (s, i) for s, i in b.items()}
    for key, (s, i) in new_items.items():
        if key not in old_items:
            result.added.append(ItemChange(key, s.title, "", i.text))
    for key, (s, i) in old_items.items():
        if key not in new_items:
            result.removed.append(ItemChange(key, s.title, i.text, ""))
    in_place: set[str] = set()
    for key in old_sections.keys() & new_sections.keys():
        same_old = [
            i.key
            for i in old_sections[key].items
            if i.key in new_items and new_items[i.key][0].key == key
        ]
        same_new = [
            i.key
            for i in new_sections[key].items
            if i.key in old_items and old_items[i.key][0].key == key
        ]
        matcher = difflib.SequenceMatcher(a=same_old, b=same_new, autojunk=False)
        for block in matcher.get_matching_blocks():
            in_place.update(same_new[block.b : block.b + block.size])
    for _, ni in b.items():
        key = ni.key
        if key not in old_items:
            continue
        (os_, oi), ns = old_items[key], new_items[key][0]
        if oi.text != ni.text:
            result.reworded.append(ItemChange(key, ns.title, oi.text, ni.text))
        if os_.key != ns.key:
            result.moved.append(
                ItemChange(
                    key, ns.title, oi.text, ni.text, (f'från "{os_.title}" till "{ns.title}"',)
                )
            )
        elif key not in in_place:
            result.moved.append(
                ItemChange(key, ns.title, oi.text, ni.text, ("ny plats i avsnittet",))
            )
        details = _changes(oi, ni, _COMPARED)
        if details:
            result.changed.append(ItemChange(key, ns.title, oi.text, ni.text, tuple(details)))
    return result
