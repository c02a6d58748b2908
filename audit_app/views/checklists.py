"""Page Checklistor: list, preview, Excel download, upload with diff preview, version history."""

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from audit_app.auth import EDIT_CHECKLISTS, display_name, display_names
from audit_app.domain import labels
from audit_app.errors import UserError, ValidationFailed
from audit_app.models import ChecklistVersion, FollowUpKind, ItemKind, UnitKind
from audit_app.services import checklists as cl
from audit_app.ui import actor, can, db, flash, show_error, show_flash

KIND_BADGES = {
    ItemKind.ska_krav: ":red-badge[SKA-krav]",
    ItemKind.bor_krav: ":orange-badge[BÖR-krav]",
    ItemKind.fraga: ":blue-badge[Fråga]",
}
UPLOAD_LABEL = "Ladda upp redigerad checklista (Excel eller YAML)"
SAVE_LABEL = "Spara som ny version"

try:
    _LOCAL = ZoneInfo("Europe/Stockholm")
except ZoneInfoNotFoundError:  # pragma: no cover - systems without tzdata
    _LOCAL = ZoneInfo("UTC")


def _md(text: str) -> str:
    """Escape Markdown (and Streamlit directives) so checklist text shows as written."""
    escaped = re.sub(r"([\\`*_\[\]{}()<>#+!|~:$.-])", r"\\\1", text)
    return escaped.replace("\n", "  \n")


def _when(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(_LOCAL).strftime("%Y-%m-%d %H:%M")


def _kinds(values: list[UnitKind]) -> str:
    return ", ".join(cl.UNIT_KIND_LABELS[k] for k in values) or "Alla enhetstyper"


def _kind_label(kind: str) -> str:
    try:
        return labels.KIND_LABELS[FollowUpKind(kind)]
    except ValueError:
        return kind


def render() -> None:
    st.title("Checklistor")
    show_flash()
    editable = can(EDIT_CHECKLISTS)
    st.caption(
        "Checklistorna styr frågorna i uppföljningarna. Varje ändring sparas som en ny version; "
        "en uppföljning behåller den version den startades med."
    )
    with db() as session:
        newest = cl.list_latest(session)
        parsed = {cv.key: (cv, cl.checklist_of(cv)) for cv in newest}
    if parsed:
        _overview(list(parsed.values()))
    else:
        st.info(
            "Det finns inga checklistor i databasen ännu. De medföljande checklistorna läses in "
            "när programmet startar (audit-app init)."
        )
    if not editable:
        st.caption(
            "Du kan läsa och ladda ned checklistorna. Att ladda upp nya versioner kräver rollen "
            "revisor eller administratör."
        )
    tabs = ["Förhandsgranskning", "Versioner"] + (["Ladda upp ny version"] if editable else [])
    if parsed:
        options = list(parsed)
        if st.session_state.get("checklists.selected") not in options:
            st.session_state["checklists.selected"] = options[0]
        selected = st.selectbox(
            "Välj checklista",
            options,
            format_func=lambda k: f"{parsed[k][1].name} ({k})",
            key="checklists.selected",
        )
    else:
        selected = None
    panes = st.tabs(tabs, key="checklists.tab")
    if selected is not None:
        with db() as session:
            versions = cl.list_versions(session, selected)
        with panes[0]:
            _preview_tab(versions)
        with panes[1]:
            _versions_tab(versions)
    if editable:
        with panes[2]:
            _upload_tab()


def _overview(rows: list[tuple[ChecklistVersion, cl.Checklist]]) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Namn": c.name,
                    "Id": cv.key,
                    "Uppföljningstyp": _kind_label(cv.kind),
                    "Gäller för": _kinds(c.applies_to),
                    "Version": cv.version,
                    "Frågor": c.item_count(),
                    "Sparad": _when(cv.created_at),
                    "Källa": cv.source,
                }
                for cv, c in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        key="checklists.table",
    )


# --------------------------------------------------------------------------- preview


def _preview_tab(versions: list[ChecklistVersion]) -> None:
    if not versions:
        return
    numbers = {v.version: v for v in versions}
    chosen = st.selectbox(
        "Version",
        list(numbers),
        format_func=lambda n: f"Version {n}" + (" (senaste)" if n == versions[0].version else ""),
        # the newest version is part of the key, so a new version is shown as soon as it is saved
        key=f"checklists.version.{versions[0].key}.{versions[0].version}",
    )
    version = numbers[chosen]
    checklist = cl.checklist_of(version)
    c1, c2 = st.columns(2)
    c1.download_button(
        "Ladda ned som Excel",
        data=cl.to_excel(checklist),
        file_name=f"{checklist.key}-v{version.version}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="checklists.download_xlsx",
        icon=":material/download:",
    )
    c2.download_button(
        "Ladda ned som YAML",
        data=cl.dump_yaml(checklist).encode("utf-8"),
        file_name=f"{checklist.key}.yaml",
        mime="application/yaml",
        key="checklists.download_yaml",
    )
    show_checklist(checklist, version)


def show_checklist(checklist: cl.Checklist, version: ChecklistVersion | None = None) -> None:
    """Show a checklist the way a reader meets it: sections, items, badges and guidance."""
    st.subheader(checklist.name)
    facts = [_kind_label(checklist.kind.value), _kinds(checklist.applies_to)]
    if version is not None:
        facts.append(f"version {version.version}, sparad {_when(version.created_at)}")
        if version.created_by_id:
            with db() as session:
                facts.append(f"av {display_name(session, version.created_by_id)}")
    st.caption(" · ".join(facts))
    if checklist.composed and version is not None:
        st.info(f"{version.source}. Ändra grundlistorna för att ändra den här checklistan.")
    if checklist.description:
        st.markdown(_md(checklist.description))
    for section in checklist.sections:
        st.markdown(f"#### {_md(section.title)}")
        if section.description:
            st.markdown(_md(section.description))
        if section.include_contract_requirements:
            st.info(
                "Här läggs avtalets SKA- och BÖR-krav in automatiskt, med sina avtalspunkter.",
                icon=":material/gavel:",
            )
        for item in section.items:
            st.markdown(_item_line(item))
            if item.guidance:
                st.caption(_md(item.guidance))


def _item_line(item: cl.Item) -> str:
    badges = [KIND_BADGES[item.kind], f":gray-badge[{labels.ANSWER_LABELS[item.answer]}]"]
    if item.answer is cl.AnswerType.tal:
        badges[-1] = f":gray-badge[Tal, {_md(item.unit)}]"
    if item.evidence_required:
        badges.append(":violet-badge[Underlag krävs]")
    if item.applies_to:
        badges.append(f":green-badge[{_kinds(item.applies_to)}]")
    clause = f"Avtalspunkt {_md(item.clause)} · " if item.clause else ""
    return f"{' '.join(badges)}  \n{clause}**{_md(item.text)}** :small[{_md(item.key)}]"


# --------------------------------------------------------------------------- versions


def _versions_tab(versions: list[ChecklistVersion]) -> None:
    if not versions:
        return
    with db() as session:
        names = display_names(session, [v.created_by_id for v in versions])
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Version": v.version,
                    "Sparad": _when(v.created_at),
                    "Av": names.get(v.created_by_id, "") if v.created_by_id else "",
                    "Källa": v.source,
                    "Frågor": cl.checklist_of(v).item_count(),
                }
                for v in versions
            ]
        ),
        hide_index=True,
        width="stretch",
        key="checklists.versions",
    )
    if len(versions) < 2:
        st.info("Det finns bara en version av checklistan, så det finns inget att jämföra.")
        return
    numbers = [v.version for v in versions]
    key = versions[0].key
    c1, c2 = st.columns(2)
    old = c1.selectbox("Jämför version", numbers, index=1, key=f"checklists.old.{key}")
    new = c2.selectbox("med version", numbers, index=0, key=f"checklists.new.{key}")
    by_number = {v.version: v for v in versions}
    show_diff(cl.diff(by_number[old].content, by_number[new].content))


def show_diff(diff: cl.ChecklistDiff) -> None:
    """Show what changed between two versions, grouped as added, removed, reworded, ..."""
    if diff.is_empty:
        st.info("Inga skillnader.")
        return
    st.markdown(f"**Skillnader:** {_md(diff.summary())}")
    groups: list[tuple[str, list[str]]] = [
        (
            "Nya frågor",
            [f"**{_md(c.key)}** ({_md(c.section)}): {_md(c.new_text)}" for c in diff.added],
        ),
        (
            "Borttagna frågor",
            [f"**{_md(c.key)}** ({_md(c.section)}): ~~{_md(c.old_text)}~~" for c in diff.removed],
        ),
        (
            "Omformulerade frågor",
            [f"**{_md(c.key)}**: ~~{_md(c.old_text)}~~ → {_md(c.new_text)}" for c in diff.reworded],
        ),
        (
            "Flyttade frågor",
            [f"**{_md(c.key)}**: {_md(', '.join(c.details))}" for c in diff.moved],
        ),
        (
            "Ändrade i övrigt",
            [f"**{_md(c.key)}**: {_md('; '.join(c.details))}" for c in diff.changed],
        ),
        ("Avsnitt", [_md(s) for s in diff.sections]),
        ("Uppgifter om checklistan", [_md(m) for m in diff.meta]),
    ]
    for title, lines in groups:
        if lines:
            st.markdown(f"**{title}**\n\n" + "\n".join(f"- {line}" for line in lines))


# --------------------------------------------------------------------------- upload


def _save(checklist: cl.Checklist, filename: str) -> None:
    """Store the uploaded checklist (button callback, so the selection can follow it)."""
    try:
        with db() as session:
            stored = cl.import_version(session, actor(), checklist, f"uppladdad fil {filename}")
            number = stored.version
    except UserError as exc:
        st.session_state["checklists.save_error"] = exc
        return
    st.session_state["checklists.selected"] = checklist.key
    st.session_state["checklists.upload_round"] = (
        st.session_state.get("checklists.upload_round", 0) + 1
    )
    flash(f"Sparade {checklist.name} som version {number}.")


def _upload_tab() -> None:
    st.markdown(
        "Ladda ned checklistan som Excel, ändra den och ladda upp den här. Du ser skillnaderna "
        "och eventuella fel innan något sparas."
    )
    error = st.session_state.pop("checklists.save_error", None)
    if isinstance(error, UserError):
        show_error(error)
    round_no = st.session_state.get("checklists.upload_round", 0)
    upload = st.file_uploader(
        UPLOAD_LABEL,
        type=["xlsx", "ods", "yaml", "yml"],
        key=f"checklists.upload.{round_no}",
    )
    if upload is None:
        return
    try:
        checklist = cl.read_upload(upload.getvalue(), upload.name)
    except ValidationFailed as exc:
        st.error(
            f"Filen {upload.name} har {len(exc.errors)} fel. Inget har sparats. Rätta felen och "
            "ladda upp filen igen."
        )
        st.markdown("\n".join(f"- {_md(e.message)}" for e in exc.errors))
        return
    if checklist.composed:
        st.error(
            f"Checklistan {checklist.key} sätts samman automatiskt och kan inte laddas upp. "
            "Ändra grundlistan i stället."
        )
        return
    with db() as session:
        current = cl.latest(session, checklist.key)
        current_content: dict[str, Any] | None = current.content if current else None
        current_number = current.version if current else 0
    st.markdown(f"Filen gäller checklistan **{_md(checklist.name)}** ({_md(checklist.key)}).")
    if current_content is None:
        st.info(
            f"Det är en ny checklista med {len(checklist.sections)} avsnitt och "
            f"{checklist.item_count()} frågor. Den sparas som version 1."
        )
    else:
        changes = cl.diff(current_content, checklist)
        if changes.is_empty:
            st.info(f"Filen är likadan som version {current_number}. Det finns inget att spara.")
            return
        st.markdown(f"Jämfört med version {current_number}:")
        show_diff(changes)
        st.caption(
            f"Sparas som version {current_number + 1}. Uppföljningar som redan använder en "
            "tidigare version påverkas inte."
        )
    st.button(
        SAVE_LABEL,
        type="primary",
        key="checklists.save",
        on_click=_save,
        args=(checklist, upload.name),
    )
