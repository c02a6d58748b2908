"""The widget helpers the pages share: which option is chosen, how it is shown, the file type of a
download, and a page's read that is refused."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from audit_app import ui
from audit_app.domain import labels
from audit_app.errors import PermissionDenied
from audit_app.models import ProcurementForm
from audit_app.views import widgets


class Spy:
    """Stands in for `st` or a column: records the widget call and returns an option."""

    def __init__(self, answer: Any = None) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.answer = answer

    def __getattr__(self, widget: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((widget, args, kwargs))
            return self.answer

        return call


def test_choice_starts_on_the_current_option_and_shows_names() -> None:
    spy = Spy(ProcurementForm.lov)
    chosen = widgets.choice(
        spy, "Form", labels.PROCUREMENT_LABELS, current=ProcurementForm.lov, widget="radio"
    )
    assert chosen is ProcurementForm.lov
    widget, (label, options), kwargs = spy.calls[0]
    assert (widget, label, options) == ("radio", "Form", list(ProcurementForm))
    assert kwargs["index"] == 1
    assert kwargs["format_func"](ProcurementForm.lou) == "LOU (upphandlat avtal)"


def test_choice_starts_on_the_first_option_without_a_known_current() -> None:
    spy = Spy()
    widgets.choice(spy, "Enhet", {"a": "A", "b": "B"}, current="x", key="k")
    assert spy.calls[0][0] == "selectbox"
    assert spy.calls[0][2]["index"] == 0
    assert spy.calls[0][2]["key"] == "k"


def test_choice_or_none_leads_with_none_under_its_own_name() -> None:
    spy = Spy()
    widgets.choice_or_none(spy, "Entreprenör", {"a": "Omsorg AB"}, "Alla")
    _, (_, options), kwargs = spy.calls[0]
    assert options == [None, "a"]
    assert [kwargs["format_func"](o) for o in options] == ["Alla", "Omsorg AB"]


def test_choices_returns_a_list_of_the_chosen_keys() -> None:
    spy = Spy(("b",))
    assert widgets.choices(spy, "Typ", {"a": "A", "b": "B"}, placeholder="Alla") == ["b"]
    assert spy.calls[0][0] == "multiselect"
    assert spy.calls[0][2]["format_func"]("a") == "A"


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("Minnesanteckningar-v1.docx", widgets.DOCX_MIME),
        ("Atgardsregister-2026-01-01.xlsx", widgets.XLSX_MIME),
        ("Minnesanteckningar-v1.pdf", "application/pdf"),
        ("uppfoljningar-anna.ics", "text/calendar"),
    ],
)
def test_a_download_takes_its_type_from_the_name_and_leaves_the_page(name: str, mime: str) -> None:
    spy = Spy()
    widgets.download(spy, "Ladda ned", b"x", name, key="k", icon=":material/table:")
    widget, (label,), kwargs = spy.calls[0]
    assert (widget, label) == ("download_button", "Ladda ned")
    assert kwargs == {
        "data": b"x",
        "file_name": name,
        "mime": mime,
        "on_click": "ignore",
        "key": "k",
        "icon": ":material/table:",
    }


def test_a_download_of_an_unknown_type_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        widgets.download(Spy(), "Ladda ned", b"x", "fil.zip", key="k")


def test_load_returns_what_the_read_returns_or_shows_the_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    @contextmanager
    def session() -> Iterator[str]:
        yield "session"

    shown: list[str] = []
    monkeypatch.setattr(ui, "db", session)
    monkeypatch.setattr(ui, "show_error", lambda exc: shown.append(exc.message))
    assert ui.load(lambda s: f"read with {s}") == "read with session"

    def refused(s: str) -> str:
        raise PermissionDenied("Du får inte läsa det här.")

    assert ui.load(refused) is None
    assert shown == ["Du får inte läsa det här."]
