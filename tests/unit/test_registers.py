"""Registers: validation in Swedish, roles enforced in the services, nothing half-saved."""

import io
from datetime import date

import openpyxl
import pytest
from sqlmodel import Session, select

from audit_app.errors import NotFound, PermissionDenied, ValidationFailed
from audit_app.models import (
    ChangeLog,
    Contract,
    Contractor,
    Requirement,
    RequirementKind,
    Unit,
    UnitKind,
)
from audit_app.services import checklists, registers
from tests.conftest import ADMIN, LASARE, REVISOR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("556782-3413", "556782-3413"),
        ("5567823413", "556782-3413"),
        ("16556782-3413", "556782-3413"),
    ],
)
def test_org_nr_accepts_valid_numbers_in_every_common_form(raw: str, expected: str) -> None:
    assert registers.normalize_org_nr(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("556782-3414", "kontrollsiffra"),
        ("55678-23413", "tio siffror"),
        ("abc", "tio siffror"),
        ("19121212-1212", "tio siffror"),
        ("121212-1212", "personnummer"),
    ],
)
def test_org_nr_refuses_wrong_check_digit_format_and_personnummer(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        registers.normalize_org_nr(raw)


@pytest.mark.parametrize("dnr", ["VOF 2026/123", "2015-00617", "ÄLN 2017/62", "ks 2024/5"])
def test_dnr_accepts_municipal_formats(dnr: str) -> None:
    assert registers.check_dnr(dnr) == " ".join(dnr.upper().split())


@pytest.mark.parametrize("dnr", ["", "123", "VOF-2026", "2026/", "VOF 26/1"])
def test_dnr_refuses_other_formats(dnr: str) -> None:
    with pytest.raises(ValueError, match="Diarienumret"):
        registers.check_dnr(dnr)


def _contractor(session: Session, name: str = "Omsorg AB") -> Contractor:
    c = registers.save_contractor(session, REVISOR, registers.ContractorInput(name, "556782-3413"))
    session.commit()
    return c


def test_save_contractor_reports_every_field_and_saves_nothing(session: Session) -> None:
    with pytest.raises(ValidationFailed) as err:
        registers.save_contractor(
            session, REVISOR, registers.ContractorInput("  ", "556782-3414", contact_email="x@")
        )
    fields = {e.field for e in err.value.errors}
    assert fields == {"name", "org_nr", "contact_email"}
    assert "Namn" in err.value.message and "kontrollsiffra" in err.value.message
    session.rollback()
    assert session.exec(select(Contractor)).all() == []
    assert session.exec(select(ChangeLog)).all() == []


def test_duplicate_contractor_name_is_refused(session: Session) -> None:
    _contractor(session)
    with pytest.raises(ValidationFailed, match="finns redan"):
        registers.save_contractor(
            session, REVISOR, registers.ContractorInput("Omsorg  AB", "559104-8276")
        )


def test_lasare_cannot_call_write_services(session: Session) -> None:
    c = _contractor(session)
    with pytest.raises(PermissionDenied, match="läsare"):
        registers.save_contractor(
            session, LASARE, registers.ContractorInput("Ny AB", "559104-8276")
        )
    with pytest.raises(PermissionDenied):
        registers.save_unit(session, LASARE, registers.UnitInput(c.id, "Enhet", UnitKind.hemtjanst))
    with pytest.raises(PermissionDenied):
        registers.set_archived(session, LASARE, Contractor, c.id)
    with pytest.raises(PermissionDenied):
        registers.save_requirements(session, LASARE, c.id, [])


def test_update_is_logged_with_old_and_new_value(session: Session) -> None:
    c = _contractor(session)
    registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Omsorg Nord AB", "556782-3413"), c.id
    )
    session.commit()
    log = session.exec(
        select(ChangeLog).where(ChangeLog.entity_id == str(c.id), ChangeLog.field == "name")
    ).all()
    assert [(r.old, r.new) for r in log] == [(None, "Omsorg AB"), ("Omsorg AB", "Omsorg Nord AB")]
    assert session.get(Contractor, c.id).version == 2  # type: ignore[union-attr]


def test_archive_keeps_the_record(session: Session) -> None:
    c = _contractor(session)
    registers.set_archived(session, REVISOR, Contractor, c.id)
    session.commit()
    assert registers.list_contractors(session) == []
    assert [x.name for x in registers.list_contractors(session, include_archived=True)] == [
        "Omsorg AB"
    ]


def test_unit_validation_names_fields(session: Session) -> None:
    c = _contractor(session)
    with pytest.raises(ValidationFailed) as err:
        registers.save_unit(
            session,
            REVISOR,
            registers.UnitInput(c.id, "", UnitKind.sarskilt_boende, -1, ["Avd A", "avd a"]),
        )
    assert {e.field for e in err.value.errors} == {"name", "places", "sections"}


def _contract_input(c: Contractor, units: list[Unit], **kw: object) -> registers.ContractInput:
    base = dict(
        dnr="VOF 2026/12",
        title="Drift av Solgården",
        contractor_id=c.id,
        valid_from=date(2026, 1, 1),
        valid_to=date(2029, 12, 31),
        unit_ids=[u.id for u in units],
    )
    base.update(kw)
    return registers.ContractInput(**base)  # type: ignore[arg-type]


def test_contract_end_before_start_and_bad_dnr_are_named(session: Session) -> None:
    c = _contractor(session)
    with pytest.raises(ValidationFailed) as err:
        registers.save_contract(
            session, REVISOR, _contract_input(c, [], dnr="12", valid_to=date(2025, 1, 1))
        )
    assert {e.field for e in err.value.errors} == {"dnr", "valid_to"}
    assert "slutdatum" in err.value.message
    session.rollback()
    assert session.exec(select(Contract)).all() == []


def test_contract_links_units_and_keeps_requirement_ids(session: Session) -> None:
    c = _contractor(session)
    u = registers.save_unit(
        session,
        REVISOR,
        registers.UnitInput(c.id, "Solgården", UnitKind.sarskilt_boende, 20, ["Avd A"]),
    )
    contract = registers.save_contract(session, REVISOR, _contract_input(c, [u]))
    rows = [
        registers.RequirementInput("4.1", "Ledningssystem ska finnas."),
        registers.RequirementInput("4.2", "Genomförandeplan inom 14 dagar."),
        registers.RequirementInput("4.3", "Anhörigträffar bör erbjudas.", RequirementKind.bor),
    ]
    saved = registers.save_requirements(session, REVISOR, contract.id, rows)
    session.commit()
    assert registers.contract_unit_ids(session, contract.id) == [u.id]
    first_id = saved[0].id
    edited = [
        registers.RequirementInput(
            "4.1", "Ledningssystem enligt SOSFS 2011:9 ska finnas.", id=first_id
        )
    ]
    registers.save_requirements(session, REVISOR, contract.id, edited)
    session.commit()
    current = registers.list_requirements(session, contract.id)
    assert [(r.id, r.text) for r in current] == [
        (first_id, "Ledningssystem enligt SOSFS 2011:9 ska finnas.")
    ]
    # removed requirements are archived, never deleted
    assert len(session.exec(select(Requirement)).all()) == 3


def test_duplicate_clause_in_requirement_rows_is_refused(session: Session) -> None:
    c = _contractor(session)
    contract = registers.save_contract(session, REVISOR, _contract_input(c, []))
    rows = [
        registers.RequirementInput("4.1", "A"),
        registers.RequirementInput("4.1", "B"),
        registers.RequirementInput("4.2", ""),
    ]
    with pytest.raises(ValidationFailed) as err:
        registers.save_requirements(session, REVISOR, contract.id, rows)
    assert [e.message for e in err.value.errors] == [
        'Rad 2, kolumn "Avtalspunkt": 4.1 står redan på rad 1.',
        'Rad 3, kolumn "Krav": kravtexten är tom.',
    ]


def _xlsx(rows: list[list[object]], sheet: str = "Krav") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_requirements_excel_import_reads_title_rows_and_kinds() -> None:
    data = _xlsx(
        [
            ["Bilaga 2: Krav i avtalet"],
            [],
            ["Avtalspunkt", "Krav", "Typ", "Område"],
            ["4.1", "Ledningssystem ska finnas.", "SKA", "Ledning"],
            ["4.2", "Anhörigträffar bör erbjudas.", "bör", "Resultat"],
            [None, None, None, None],
        ]
    )
    rows = registers.parse_requirements_excel(data, "krav.xlsx")
    assert [(r.clause, r.kind, r.area) for r in rows] == [
        ("4.1", RequirementKind.ska, "Ledning"),
        ("4.2", RequirementKind.bor, "Resultat"),
    ]


def test_an_uploaded_workbook_keeps_the_guidance_and_the_unit_kinds_of_each_requirement() -> None:
    data = _xlsx(
        [
            ["Avtalspunkt", "Krav", "Typ", "Område", "Vägledning", "Gäller för"],
            [
                "4.5.5",
                "Sjuksköterska ska nås dygnet runt.",
                "SKA",
                "HSL",
                "Se jourlistan.",
                "sarskilt_boende",
            ],
            ["6.3.1", "Genomförandeplan inom fyra veckor.", "SKA", "Individ", "", ""],
        ]
    )
    rows = registers.parse_requirements_excel(data, "krav.xlsx")
    assert [(r.clause, r.hint, r.applies_to) for r in rows] == [
        ("4.5.5", "Se jourlistan.", [UnitKind.sarskilt_boende]),
        ("6.3.1", "", []),
    ]


def test_requirements_excel_missing_column_names_sheet_row_and_column() -> None:
    data = _xlsx([["Avtalspunkt", "Krav", "Område"], ["4.1", "Text", "Ledning"]])
    with pytest.raises(ValidationFailed) as err:
        registers.parse_requirements_excel(data, "krav.xlsx")
    assert 'Blad "Krav", rad 1: kolumnen "Typ" saknas' in err.value.message
    assert "krav.xlsx" in err.value.message


def test_requirements_excel_lists_every_bad_cell() -> None:
    data = _xlsx(
        [
            ["Avtalspunkt", "Krav", "Typ", "Område"],
            ["4.1", "", "SKA", ""],
            ["4.2", "Text", "måste", ""],
            ["4.2", "T", "", ""],
        ]
    )
    with pytest.raises(ValidationFailed) as err:
        registers.parse_requirements_excel(data, "krav.xlsx")
    assert [e.message for e in err.value.errors] == [
        'Blad "Krav", rad 2, kolumn "Krav": kravtexten är tom.',
        'Blad "Krav", rad 3, kolumn "Typ": "måste" är ingen giltig typ. Skriv SKA eller BÖR.',
        'Blad "Krav", rad 4, kolumn "Avtalspunkt": 4.2 står redan på rad 3.',
    ]


def test_requirements_excel_refuses_a_file_that_is_not_excel() -> None:
    with pytest.raises(ValidationFailed, match=r"krav.xlsx är en textfil, inte en Excel-fil"):
        registers.parse_requirements_excel(b"Avtalspunkt;Krav\n4.1;x\n", "krav.xlsx")


def test_same_org_nr_twice_is_refused(session: Session) -> None:
    _contractor(session)
    with pytest.raises(ValidationFailed, match="redan registrerat för Omsorg AB"):
        registers.save_contractor(
            session, REVISOR, registers.ContractorInput("Annat AB", "5567823413")
        )


def test_standard_list_is_copied_into_the_contract_once_keeping_its_own_clauses(
    session: Session,
) -> None:
    checklists.sync_shipped(session, ADMIN)
    c = _contractor(session)
    boende = registers.save_unit(
        session, REVISOR, registers.UnitInput(c.id, "Solgården", UnitKind.sarskilt_boende, 20)
    )
    hemtjanst = registers.save_unit(
        session, REVISOR, registers.UnitInput(c.id, "Hemtjänst Norra", UnitKind.hemtjanst, 0)
    )
    contract = registers.save_contract(session, REVISOR, _contract_input(c, [boende, hemtjanst]))
    own = "Utföraren ska ha ett ledningssystem enligt avtalets bilaga 2."
    registers.save_requirements(
        session, REVISOR, contract.id, [registers.RequirementInput("4.1.1", own)]
    )
    # the lists that fit the contract's unit kinds, never the LSS list
    offered = [s.key for s in registers.standard_lists_for(session, contract.id)]
    assert sorted(offered) == ["ska_krav_hemtjanst", "ska_krav_sarskilt_boende"]

    added = registers.copy_standard_requirements(
        session, REVISOR, contract.id, "ska_krav_sarskilt_boende"
    )
    session.commit()
    current = registers.list_requirements(session, contract.id)
    assert added == len(current) - 1 >= 30
    by_clause = {r.clause: r for r in current}
    assert len(by_clause) == len(current)  # no clause twice
    assert by_clause["4.1.1"].text == own  # the contract's own words are kept
    copied = [r for r in current if r.clause != "4.1.1"]
    assert all(r.hint and r.applies_to == ["sarskilt_boende"] for r in copied)
    assert {r.kind for r in copied} == {RequirementKind.ska, RequirementKind.bor}
    # pressed again: nothing is added twice
    assert (
        registers.copy_standard_requirements(
            session, REVISOR, contract.id, "ska_krav_sarskilt_boende"
        )
        == 0
    )


def test_copying_a_standard_list_needs_the_right_role_and_a_known_list(session: Session) -> None:
    checklists.sync_shipped(session, ADMIN)
    c = _contractor(session)
    contract = registers.save_contract(session, REVISOR, _contract_input(c, []))
    with pytest.raises(PermissionDenied):
        registers.copy_standard_requirements(
            session, LASARE, contract.id, "ska_krav_sarskilt_boende"
        )
    with pytest.raises(NotFound, match="finns inte"):
        registers.copy_standard_requirements(session, REVISOR, contract.id, "ska_krav_okand")
    assert registers.list_requirements(session, contract.id) == []
