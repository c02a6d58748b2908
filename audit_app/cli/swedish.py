"""Swedish for the words typer prints around our own help texts ("Usage:", "Show this message
and exit.", error messages).

Typer (0.29) carries its own copy of click: the panel titles go through `gettext`, which we
answer from `SWEDISH`; the usage prefix, the --help text and the error frame are plain strings,
which `install()` replaces in the three places that print them. Anything new falls back to
English rather than failing.
"""

import re
from collections.abc import Callable
from gettext import gettext, ngettext
from typing import Any

import typer._click.core
import typer._click.decorators
import typer._click.exceptions
import typer._click.formatting
import typer.core
from typer._click.exceptions import UsageError

SWEDISH: dict[str, str] = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Arguments": "Argument",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Error: {message}": "Fel: {message}",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Värde saknas",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "Missing command.": "Kommando saknas.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Option {name!r} requires an argument.": "Flaggan {name!r} behöver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Flaggan {name!r} behöver {nargs} värden.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt tal.",
    "{value!r} is not a valid UUID.": "{value!r} är inget giltigt id.",
    "{value} is not in the range {range}.": "{value} ligger utanför {range}.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du något av: {possibilities}?)",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "(dynamic)": "(beräknas)",
    "Aborted!": "Avbrutet.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna {filename!r}: {message}",
    "file": "filen",
    "directory": "mappen",
    "path": "sökvägen",
    "unknown error": "okänt fel",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
}


def sv_gettext(message: str) -> str:
    return SWEDISH.get(message, gettext(message))


def sv_ngettext(singular: str, plural: str, n: int) -> str:
    return SWEDISH.get(singular if n == 1 else plural, ngettext(singular, plural, n))


_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing argument '(.+)'\.$"), r"Argumentet '\1' saknas."),
    (re.compile(r"^Missing option '(.+)'\.$"), r"Flaggan '\1' saknas."),
    (re.compile(r"^No such option: (.+)$"), r"Flaggan \1 finns inte."),
    (re.compile(r"^No such command '(.+)'\.$"), r"Kommandot '\1' finns inte."),
    (re.compile(r"^Invalid value for '(.+?)': (.+)$"), r"Ogiltigt värde för '\1': \2"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), r"Oväntade argument: \1"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), r"Flaggan '\1' behöver ett värde."),
    (re.compile(r"^(.+) is not one of (.+)\.$"), r"\1 är inte ett av \2."),
]


def sv_message(message: str) -> str:
    """A typer/click error message in Swedish where we know its shape."""
    for pattern, replacement in _MESSAGES:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


def _show(self: UsageError, file: Any = None) -> None:
    """UsageError.show in Swedish: usage line, hint, then the error."""
    stream = file or typer._click.exceptions.get_text_stderr()
    hint = ""
    if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
        hint = f"Skriv '{self.ctx.command_path} {self.ctx.help_option_names[0]}' för hjälp.\n"
    color = self.ctx.color if self.ctx is not None else None
    if self.ctx is not None:
        typer._click.exceptions.echo(f"{self.ctx.get_usage()}\n{hint}", file=stream, color=color)
    typer._click.exceptions.echo(
        f"Fel: {sv_message(self.format_message())}", file=stream, color=color
    )


_original_write_usage = typer._click.formatting.HelpFormatter.write_usage
_original_help_option = typer._click.decorators.help_option


def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _original_write_usage(self, prog, args, "Användning: " if prefix is None else prefix)


def _help_option(param_decls: list[str]) -> Callable[[Any], Any]:
    decorate = _original_help_option(param_decls)

    def apply(command: Any) -> Any:
        result = decorate(command)
        command.params[-1].help = SWEDISH["Show this message and exit."]
        return result

    return apply


_TYPE_WORDS = {"str": "text", "int": "tal", "float": "tal", "path": "fil", "Path": "fil"}
_original_display_type = typer.core._TyperParameter.display_type


def _display_type(self: Any, ctx: Any) -> str:
    """<text>, <tal>, <fil>, <a|b|c>, <text …>: the kind of value, in Swedish."""
    label = str(_original_display_type(self, ctx)).strip("<>")
    many = label.startswith("list[") and label.endswith("]")
    if many:
        label = label[5:-1]
    label = "|".join(_TYPE_WORDS.get(part, part) for part in label.split("|"))
    return f"<{label} …>" if many else f"<{label}>"


_USAGE_WORDS = {"[OPTIONS]": "[FLAGGOR]", "COMMAND": "KOMMANDO", "[ARGS]...": "[ARGUMENT]..."}
_original_group_pieces = typer.core.TyperGroup.collect_usage_pieces
_original_command_pieces = typer._click.core.Command.collect_usage_pieces


def _swedish_pieces(pieces: list[str]) -> list[str]:
    return [" ".join(_USAGE_WORDS.get(w, w) for w in piece.split(" ")) for piece in pieces]


def _group_pieces(self: Any, ctx: Any) -> list[str]:
    return _swedish_pieces(_original_group_pieces(self, ctx))


def _command_pieces(self: Any, ctx: Any) -> list[str]:
    return _swedish_pieces(_original_command_pieces(self, ctx))


def install() -> None:
    """Let typer print Swedish (idempotent)."""
    typer.core._ = sv_gettext
    typer.core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]
    typer._click.formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    typer._click.decorators.help_option = _help_option
    typer.core.TyperGroup.collect_usage_pieces = _group_pieces  # type: ignore[method-assign]
    typer._click.core.Command.collect_usage_pieces = _command_pieces  # type: ignore[method-assign]
    UsageError.show = _show  # type: ignore[method-assign]
