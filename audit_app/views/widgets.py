"""Widgets the pages build the same way: tables, labelled choices, downloads, page switches."""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from audit_app.errors import UserError
from audit_app.services.documents.render import DOCX_MIME, PDF_MIME, XLSX_MIME
from audit_app.ui import show_error

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

MIME_TYPES = {".docx": DOCX_MIME, ".xlsx": XLSX_MIME, ".pdf": PDF_MIME, ".ics": "text/calendar"}


def table(
    rows: Iterable[Mapping[str, object]], *, columns: list[str] | None = None, **options: Any
) -> Any:
    """Rows (one dict a row, its keys the column headings) as a read-only table across the
    page without the index column; `options` go to `st.dataframe` (key, column_config, ...)."""
    return st.dataframe(
        pd.DataFrame(list(rows), columns=columns), hide_index=True, width="stretch", **options
    )


def choice(
    where: Any,
    label: str,
    names: Mapping[K, str],
    *,
    current: K | None = None,
    widget: str = "selectbox",
    **options: Any,
) -> K:
    """A select box (or `widget="radio"`) in `where` (st or a column) of `names`' keys, each
    shown by its name; `current` is chosen at first when it is one of them, else the first."""
    keys = list(names)
    return getattr(where, widget)(
        label,
        keys,
        index=keys.index(current) if current in keys else 0,
        format_func=names.__getitem__,
        **options,
    )


def choice_or_none(
    where: Any, label: str, names: Mapping[K, str], none: str, **options: Any
) -> K | None:
    """A select box in `where` of `names`' keys, each shown by its name, after a first choice
    None shown as `none` (e.g. "Alla")."""
    return where.selectbox(
        label,
        [None, *names],
        format_func=lambda k: none if k is None else names[k],
        **options,
    )


def choices(where: Any, label: str, names: Mapping[K, str], **options: Any) -> list[K]:
    """A multiselect in `where` of `names`' keys, each shown by its name."""
    return list(where.multiselect(label, list(names), format_func=names.__getitem__, **options))


def open_page(path: str) -> None:
    """Switch to the page at `path` (its url_path in app.NAVIGATION) when this user has it."""
    pages = st.session_state.get("nav.pages", {})
    if path in pages:
        st.switch_page(pages[path])


def download(
    where: Any, label: str, data: bytes | Callable[[], bytes], file_name: str, **options: Any
) -> None:
    """A download button in `where` (st or a column) that leaves the page as it is (no rerun);
    the file's type follows its name. `data` may be a function, run only when clicked."""
    where.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=MIME_TYPES[PurePath(file_name).suffix],
        on_click="ignore",
        **options,
    )


WORKBOOK_TYPES = ["xlsx", "xls", "ods"]


def upload_panel(title: str, upload_key: str) -> Any:
    """An expander for an upload that stays open while its file chooser (`upload_key`) holds a
    file, so what was read stays in view after a rerun."""
    return st.expander(title, expanded=st.session_state.get(upload_key) is not None)


def uploaded(
    label: str, key: str, parse: Callable[[bytes, str], T], types: Sequence[str] = WORKBOOK_TYPES
) -> tuple[Any, T] | None:
    """A file chooser whose file is read at once by `parse(data, name)`: the file and what was
    read, or None when no file is chosen or it is refused (the Swedish reason is shown)."""
    upload = st.file_uploader(label, type=list(types), key=key)
    if upload is None:
        return None
    try:
        return upload, parse(upload.getvalue(), upload.name)
    except UserError as exc:
        show_error(exc)
        return None
