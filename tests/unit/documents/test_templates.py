"""Word templates: the registry, the shipped files, upload with validation, reset, sandbox."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit_app.errors import PermissionDenied, UserError
from audit_app.models import FollowUpKind
from audit_app.services.documents import registry, templates
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.render import TemplateProblem
from audit_app.services.documents.sample import sample_data
from tests.conftest import ADMIN, LASARE
from tests.unit.documents.docx_reading import SHIPPED_TEMPLATES, edited_template, text_of

SHIPPED = sorted(p.name for p in SHIPPED_TEMPLATES.glob("*.docx"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    yield tmp_path / "data"


# --------------------------------------------------------------------------- shipped templates


def test_every_registered_template_is_shipped_and_renders_its_sample() -> None:
    specs = registry.template_specs()
    assert [s.filename for s in specs] == SHIPPED  # the page lists them by file name
    assert len(SHIPPED) == 7
    assert set(registry.MINUTES_TEMPLATES.values()) <= set(SHIPPED)
    for spec in specs:
        rendered = templates.validate_template(
            spec.filename, templates.template_bytes(spec.filename)
        )
        text = text_of(rendered)
        assert "{{" not in text and "{%" not in text, spec.filename
        assert templates.sample_document(spec.filename)[:2] == b"PK"


def test_the_build_script_rebuilds_the_same_templates(tmp_path: Path) -> None:
    """The committed .docx files come from templates/build_templates.py (same tags)."""
    copy = tmp_path / "templates"
    shutil.copytree(SHIPPED_TEMPLATES, copy)
    for docx in copy.glob("*.docx"):
        docx.unlink()
    subprocess.run(
        [sys.executable, str(copy / "build_templates.py")], check=True, capture_output=True
    )
    for name in SHIPPED:
        with (
            zipfile.ZipFile(copy / name) as built,
            zipfile.ZipFile(SHIPPED_TEMPLATES / name) as shipped,
        ):
            assert built.namelist() == shipped.namelist(), name
            for part in built.namelist():
                assert built.read(part) == shipped.read(part), (
                    f"{name} ({part}) differs from what templates/build_templates.py makes; "
                    "run the script and commit the .docx files"
                )


# --------------------------------------------------------------------------- upload


def test_uploaded_template_overrides_and_reset_restores(data_dir: Path) -> None:
    name = "minnesanteckningar_avtal.docx"
    ctx = minutes_context(sample_data(FollowUpKind.avtal))
    changed = edited_template(name, {"Närvarande": "Deltagare vid mötet"})
    templates.save_template(ADMIN, name, changed)
    assert templates.is_uploaded(name)
    assert (data_dir / "templates" / name).read_bytes() == changed
    lines = text_of(templates.render_template(name, ctx)).splitlines()
    assert "Deltagare vid mötet" in lines and "Närvarande" not in lines
    # a second upload keeps the first one in history/
    templates.save_template(
        ADMIN, name, edited_template(name, {"Närvarande": "Närvarande vid mötet"})
    )
    assert len(list((data_dir / "templates" / "history").glob("*.docx"))) == 1
    templates.reset_template(ADMIN, name)
    assert not templates.is_uploaded(name)
    assert "Närvarande" in text_of(templates.render_template(name, ctx)).splitlines()


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({"{%p endif %}": "{%p endfor %}"}, "tagg"),
        ({"{{ title }}": "{{ titel }}"}, "fältet 'titel' finns inte"),
        ({"{{ subtitle }}": "{{ subtitle }"}, "Mallen kan inte användas"),
        ({"{{ title }}": "{{ title.__class__.__mro__ }}"}, "inte är tillåtet"),
        ({"{{ title }}": "{% for x in 5 %}{{ x }}{% endfor %}"}, "Mallen kan inte"),
    ],
)
def test_broken_template_is_refused_and_old_one_kept(
    data_dir: Path, replace: dict[str, str], expected: str
) -> None:
    name = "minnesanteckningar_avtal.docx"
    good = edited_template(name, {"Närvarande": "Deltagare"})
    templates.save_template(ADMIN, name, good)
    with pytest.raises(TemplateProblem) as caught:
        templates.save_template(ADMIN, name, edited_template(name, replace))
    assert expected in caught.value.message, caught.value.message
    assert "tidigare mallen används fortfarande" in caught.value.message
    assert (data_dir / "templates" / name).read_bytes() == good


def test_not_a_docx_is_refused(data_dir: Path) -> None:
    for junk in (b"%PDF-1.4 nonsense", b"PK\x03\x04 broken zip", b""):
        with pytest.raises(TemplateProblem, match="Word-dokument"):
            templates.save_template(ADMIN, "tjansteskrivelse.docx", junk)
    assert not (data_dir / "templates" / "tjansteskrivelse.docx").exists()


def test_only_admin_uploads_and_unknown_names_are_refused() -> None:
    data = (SHIPPED_TEMPLATES / "tjansteskrivelse.docx").read_bytes()
    with pytest.raises(PermissionDenied):
        templates.save_template(LASARE, "tjansteskrivelse.docx", data)
    with pytest.raises(UserError, match="ingen dokumentmall"):
        templates.save_template(ADMIN, "annan.docx", data)


def test_translated_errors_name_the_place() -> None:
    name = "tjansteskrivelse.docx"
    bad = edited_template(name, {"Sammanfattning": "Sammanfattning {% if %}"})
    with pytest.raises(TemplateProblem) as caught:
        templates.validate_template(name, bad)
    assert "Nära texten" in caught.value.message
