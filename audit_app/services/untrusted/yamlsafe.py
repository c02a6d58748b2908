"""YAML from outside (checklists, staffing rules): a size cap, a nesting-depth limit and a cap on
values with every alias expanded, checked on the parser's event stream before anything is
built. PyYAML builds nested values recursively, so a deeply nested text would otherwise raise
`RecursionError`; a few nested aliases would otherwise expand to billions of values later."""

from __future__ import annotations

from typing import Any

import yaml

from audit_app.domain.svtext import sv_number
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.limits import FileLimits, file_limits

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The safe loader (libyaml's when available): plain values only, no Python objects."""

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _line(event: yaml.Event) -> str:
    mark = event.start_mark
    return f", rad {mark.line + 1}" if mark is not None else ""


def size_refusal(size: int, label: str, limits: FileLimits | None = None) -> str | None:
    """The Swedish refusal of a YAML text of `size` bytes over the cap (None when within it);
    `label` starts the message, e.g. "Filen regler.yaml"."""
    cap = (limits or file_limits()).yaml_bytes
    if size <= cap:
        return None
    return (
        f"{label} är {sv_number(size / 1024, 0)} kB; högst {sv_number(cap / 1024, 0)} kB tas emot."
    )


def check_yaml(
    text: str, filename: str, *, label: str | None = None, limits: FileLimits | None = None
) -> None:
    """Refuse YAML over the size, depth or expanded-size caps; syntax errors are left to the
    loader, which says where they are. `label` starts the message (default "Filen <name>")."""
    limits = limits or file_limits()
    label = label or f"Filen {filename}"
    too_big = size_refusal(len(text.encode("utf-8", "surrogatepass")), label, limits)
    if too_big:
        raise FileRejected(filename, [too_big])
    anchors: dict[str, int] = {}
    open_counts: list[tuple[str | None, int]] = []
    expanded = 0
    try:
        for event in yaml.parse(text, Loader=LOADER):
            if isinstance(event, _OPEN):
                if len(open_counts) >= limits.yaml_depth:
                    raise FileRejected(
                        filename,
                        [
                            f"{label}{_line(event)}: texten är nästlad "
                            f"djupare än {limits.yaml_depth} nivåer och läses inte."
                        ],
                    )
                open_counts.append((event.anchor, 1))
                added = 1
            elif isinstance(event, _CLOSE):
                anchor, count = open_counts.pop()
                if anchor:
                    anchors[anchor] = count
                if open_counts:
                    parent_anchor, parent_count = open_counts[-1]
                    open_counts[-1] = (parent_anchor, parent_count + count)
                continue
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    anchors[event.anchor] = 1
                added = 1
            elif isinstance(event, yaml.AliasEvent):
                added = anchors.get(event.anchor or "", 1)
            else:
                continue
            expanded += added
            if open_counts and not isinstance(event, _OPEN):
                parent_anchor, parent_count = open_counts[-1]
                open_counts[-1] = (parent_anchor, parent_count + added)
            if expanded > limits.yaml_nodes:
                raise FileRejected(
                    filename,
                    [
                        f"{label}{_line(event)}: texten blir mer än "
                        f"{sv_number(limits.yaml_nodes)} värden när alias (*namn) fylls i och "
                        "läses inte."
                    ],
                )
    except yaml.YAMLError:
        return


def load_checked(text: str, filename: str, *, label: str | None = None) -> Any:
    """Check a YAML text (see `check_yaml`) and load it with the safe loader."""
    check_yaml(text, filename, label=label)
    return yaml.load(text, Loader=LOADER)


def load_all_checked(text: str, filename: str, *, label: str | None = None) -> list[Any]:
    """Check a YAML text of one or more documents and load every document."""
    check_yaml(text, filename, label=label)
    return list(yaml.load_all(text, Loader=LOADER))
