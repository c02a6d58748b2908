"""The invisible marker every finished run (and fragment rerun) leaves for browser tests."""

import secrets

import streamlit as st

# The end-of-run marker. Browser tests wait on it instead of on time: they read its run id,
# act, and wait until it has changed (tests/e2e/helpers.py). Every run that reaches the end of
# main() emits a fresh random id as the data attribute of an empty <style> element; style-only
# st.html goes to Streamlit's event container, so it takes no room in the layout and shows
# nothing. Streamlit reuses the DOM node between runs; the id differs every run, so a test can
# tell the runs apart. A run cut short by st.rerun() never gets here; the run that follows does. A fragment (one
# item of the agenda) emits its own marker when it reruns alone; tests read all of them.
# An id rather than a count in session state: log-out clears the session state, and a count
# that starts over could repeat the value a test waits to see change. The id is ours (random
# hex, no user text), so nothing can be injected through it.
RUN_MARKER = "app-run-finished"


def mark_run_finished() -> None:
    """Emit the invisible end-of-run marker with a new run id."""
    st.html(f'<style data-testid="{RUN_MARKER}" data-run="{secrets.token_hex(8)}"></style>')
