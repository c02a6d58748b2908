"""Text a person must write before a step is taken: a reason, a note on the evidence."""

from audit_app.errors import FieldError, ValidationFailed


def required_text(field: str, text: str, least: int, message: str) -> str:
    """The text without surrounding space; refused with `message` on `field` when it is
    shorter than `least` characters."""
    stripped = text.strip()
    if len(stripped) < least:
        raise ValidationFailed([FieldError(field, message)])
    return stripped
