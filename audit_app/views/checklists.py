"""Page Checklistor: list, preview, Excel download, upload with diff preview, version history."""

import streamlit as st

from audit_app.auth import EDIT_CHECKLISTS
from audit_app.domain import labels
from audit_app.errors import UserError, ValidationFailed
from audit_app.models import AnswerType, ItemKind, SectionRole, UnitKind
from audit_app.services import checklists
from audit_app.ui import actor, can, db, flash, plain, show_error, show_flash
from audit_app.views.widgets import table

KIND_BADGES = {
    ItemKind.ska_krav: ":red-badge[SKA-krav]",
    ItemKind.bor_krav: ":orange-badge[BÖR-krav]",
    ItemKind.fraga: ":blue-badge[Fråga]",
}
UPLOAD_LABEL = "Ladda upp redigerad checklista (Excel eller YAML)"
SAVE_LABEL = "Spara som ny version"


def _kinds(values: list[UnitKind]) -> str:
    return ", ".join(labels.UNIT_KIND_LABELS[k] for k in values) or "Alla enhetstyper"


def render() -> None:
    st.title("Checklistor")
    show_flash()
    editable = can(EDIT_CHECKLISTS)
    st.caption(
        "Checklistorna styr frågorna i uppföljningarna. Varje ändring sparas som en ny version; "
        "en uppföljning behåller den version den startades med."
    )
    with db() as session:
        newest = {c.key: c for c in checklists.newest_checklists(session)}
    if newest:
        _overview(list(newest.values()))
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
    if newest:
        options = list(newest)
        if st.session_state.get("checklists.selected") not in options:
            st.session_state["checklists.selected"] = options[0]
        selected = st.selectbox(
            "Välj checklista",
            options,
            format_func=lambda k: f"{newest[k].checklist.name} ({k})",
            key="checklists.selected",
        )
    else:
        selected = None
    panes = st.tabs(tabs, key="checklists.tab")
    if selected is not None:
        with db() as session:
            versions = checklists.history(session, selected)
        with panes[0]:
            _preview_tab(versions)
        with panes[1]:
            _versions_tab(versions)
    if editable:
        with panes[2]:
            _upload_tab()


def _overview(rows: list[checklists.StoredChecklist]) -> None:
    table(
        (
            {
                "Namn": row.checklist.name,
                "Id": row.key,
                "Uppföljningstyp": labels.KIND_LABELS[row.checklist.kind],
                "Gäller för": _kinds(row.checklist.applies_to),
                "Version": row.version,
                "Frågor": row.item_count,
                "Sparad": row.saved,
                "Källa": row.source,
            }
            for row in rows
        ),
        key="checklists.table",
    )


# --------------------------------------------------------------------------- preview


def _preview_tab(versions: list[checklists.StoredChecklist]) -> None:
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
    checklist = version.checklist
    c1, c2 = st.columns(2)
    c1.download_button(
        "Ladda ned som Excel",
        data=checklists.to_excel(checklist),
        file_name=f"{checklist.key}-v{version.version}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="checklists.download_xlsx",
        icon=":material/download:",
    )
    c2.download_button(
        "Ladda ned som YAML",
        data=checklists.dump_yaml(checklist).encode("utf-8"),
        file_name=f"{checklist.key}.yaml",
        mime="application/yaml",
        key="checklists.download_yaml",
    )
    _show_checklist(version)


def _show_checklist(version: checklists.StoredChecklist) -> None:
    """Show a checklist the way a reader meets it: sections, items, badges and guidance."""
    checklist = version.checklist
    st.subheader(plain(checklist.name))
    facts = [
        labels.KIND_LABELS[checklist.kind],
        _kinds(checklist.applies_to),
        f"version {version.version}, sparad {version.saved}",
    ]
    if version.by:
        facts.append(f"av {version.by}")
    st.caption(plain(" · ".join(facts)))
    if checklist.composed:
        st.info(plain(f"{version.source}. Ändra grundlistorna för att ändra den här checklistan."))
    if checklist.description:
        st.markdown(plain(checklist.description))
    for section in checklist.sections:
        st.markdown(f"#### {plain(section.title)}")
        if section.description:
            st.markdown(plain(section.description))
        if section.role is SectionRole.requirements:
            st.info(
                "Här läggs avtalets SKA- och BÖR-krav in automatiskt, med sina avtalspunkter.",
                icon=":material/gavel:",
            )
        elif section.role is not None:
            st.caption(f"Roll i dagordningen: {labels.SECTION_ROLE_LABELS[section.role]}")
        for item in section.items:
            st.markdown(_item_line(item))
            if item.guidance:
                st.caption(plain(item.guidance))


def _item_line(item: checklists.Item) -> str:
    badges = [KIND_BADGES[item.kind], f":gray-badge[{labels.ANSWER_LABELS[item.answer]}]"]
    if item.answer is AnswerType.tal:
        badges[-1] = f":gray-badge[Tal, {plain(item.unit)}]"
    if item.evidence_required:
        badges.append(":violet-badge[Underlag krävs]")
    if item.applies_to:
        badges.append(f":green-badge[{_kinds(item.applies_to)}]")
    clause = f"Avtalspunkt {plain(item.clause)} · " if item.clause else ""
    return f"{' '.join(badges)}  \n{clause}**{plain(item.text)}** :small[{plain(item.key)}]"


# --------------------------------------------------------------------------- versions


def _versions_tab(versions: list[checklists.StoredChecklist]) -> None:
    if not versions:
        return
    table(
        (
            {
                "Version": v.version,
                "Sparad": v.saved,
                "Av": v.by,
                "Källa": v.source,
                "Frågor": v.item_count,
            }
            for v in versions
        ),
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
    _show_diff(checklists.diff(by_number[old].checklist, by_number[new].checklist))


def _show_diff(diff: checklists.ChecklistDiff) -> None:
    """Show what changed between two versions, grouped as added, removed, reworded, ..."""
    if diff.is_empty:
        st.info("Inga skillnader.")
        return
    st.markdown(f"**Skillnader:** {plain(diff.summary())}")
    groups: list[tuple[str, list[str]]] = [
        (
            "Nya frågor",
            [f"**{plain(c.key)}** ({plain(c.section)}): {plain(c.new_text)}" for c in diff.added],
        ),
        (
            "Borttagna frågor",
            [
                f"**{plain(c.key)}** ({plain(c.section)}): ~~{plain(c.old_text)}~~"
                for c in diff.removed
            ],
        ),
        (
            "Omformulerade frågor",
            [
                f"**{plain(c.key)}**: ~~{plain(c.old_text)}~~ → {plain(c.new_text)}"
                for c in diff.reworded
            ],
        ),
        (
            "Flyttade frågor",
            [f"**{plain(c.key)}**: {plain(', '.join(c.details))}" for c in diff.moved],
        ),
        (
            "Ändrade i övrigt",
            [f"**{plain(c.key)}**: {plain('; '.join(c.details))}" for c in diff.changed],
        ),
        ("Avsnitt", [plain(s) for s in diff.sections]),
        ("Uppgifter om checklistan", [plain(m) for m in diff.meta]),
    ]
    for title, lines in groups:
        if lines:
            st.markdown(f"**{title}**\n\n" + "\n".join(f"- {line}" for line in lines))


# --------------------------------------------------------------------------- upload


def _save(checklist: checklists.Checklist, filename: str) -> None:
    """Store the uploaded checklist (button callback, so the selection can follow it)."""
    try:
        with db() as session:
            stored = checklists.import_version(
                session, actor(), checklist, f"uppladdad fil {filename}"
            )
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
        checklist = checklists.read_upload(upload.getvalue(), upload.name)
    except ValidationFailed as exc:
        st.error(
            plain(
                f"Filen {upload.name} har {len(exc.errors)} fel. Inget har sparats. Rätta felen "
                "och ladda upp filen igen."
            )
        )
        st.markdown("\n".join(f"- {plain(e.message)}" for e in exc.errors))
        return
    if checklist.composed:
        st.error(
            plain(
                f"Checklistan {checklist.key} sätts samman automatiskt och kan inte laddas upp. "
                "Ändra grundlistan i stället."
            )
        )
        return
    with db() as session:
        preview = checklists.upload_preview(session, checklist)
    st.markdown(f"Filen gäller checklistan **{plain(checklist.name)}** ({plain(checklist.key)}).")
    if preview.changes is None:
        st.info(
            f"Det är en ny checklista med {len(checklist.sections)} avsnitt och "
            f"{checklist.item_count()} frågor. Den sparas som version 1."
        )
    else:
        if preview.changes.is_empty:
            st.info(
                f"Filen är likadan som version {preview.current_version}. Det finns inget att "
                "spara."
            )
            return
        st.markdown(f"Jämfört med version {preview.current_version}:")
        _show_diff(preview.changes)
        st.caption(
            f"Sparas som version {preview.next_version}. Uppföljningar som redan använder en "
            "tidigare version påverkas inte."
        )
    st.button(
        SAVE_LABEL,
        type="primary",
        key="checklists.save",
        on_click=_save,
        args=(checklist, upload.name),
    )
