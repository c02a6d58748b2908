"""Every write service checks the role where the data is written: called as a läsare, each
refuses with PermissionDenied before reading or writing anything."""

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlmodel import Session

import audit_app.services
from audit_app.errors import PermissionDenied
from tests.conftest import LASARE


def _services() -> Iterator[tuple[str, Callable[..., Any]]]:
    seen: set[int] = set()
    for info in pkgutil.walk_packages(audit_app.services.__path__, "audit_app.services."):
        if info.name == "audit_app.services.audit_log":
            continue  # record_changes/log_event write the log inside services, after require()
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__ or id(fn) in seen:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:2] == ["session", "actor"]:
                seen.add(id(fn))
                yield f"{module.__name__}.{name}", fn


SERVICES = sorted(_services())
WRITES = [(name, fn) for name, fn in SERVICES if not getattr(fn, "__reads__", False)]


def test_there_are_write_services_to_check() -> None:
    assert len(WRITES) > 30, [n for n, _ in WRITES]


def _dummy(param: inspect.Parameter) -> Any:
    return uuid.uuid4() if param.name.endswith("id") else None


@pytest.mark.parametrize(("name", "service"), WRITES, ids=[n for n, _ in WRITES])
def test_a_reader_is_refused_by_every_write_service(
    session: Session, name: str, service: Callable[..., Any]
) -> None:
    params = list(inspect.signature(service).parameters.values())[2:]
    args = [_dummy(p) for p in params if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    kwargs = {
        p.name: _dummy(p) for p in params if p.default is p.empty and p.kind is p.KEYWORD_ONLY
    }
    with pytest.raises(PermissionDenied):
        service(session, LASARE, *args, **kwargs)
