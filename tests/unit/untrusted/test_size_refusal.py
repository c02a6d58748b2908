"""The YAML size cap's Swedish refusal, shared by checked YAML texts and uploaded files."""

import pytest

from audit_app.services.untrusted.yamlsafe import size_refusal


def test_size_refusal_names_the_size_and_the_cap_in_kilobytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUDIT_YAML_MAX_KB", "2")
    assert size_refusal(2048, "Filen regler.yaml") is None
    assert size_refusal(3 * 1024, "Reglerna") == "Reglerna är 3 kB; högst 2 kB tas emot."
