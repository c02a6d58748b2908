"""The app's own CSS: Swedish where Streamlit prints English in widgets we cannot label."""

import streamlit as st

# Streamlit has no translation of a few widget texts; these rules hide the English and show
# Swedish in its place (the widgets work as before). "Press Enter to submit form/apply" is not
# needed: every field saves when it is left, and forms have their own buttons.
SWEDISH_CSS = """
<style>
[data-testid="InputInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "Välj fil"; font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "Dra och släpp en fil här, högst 200 MB"; font-size: 0.875rem;
}
</style>
"""


def swedish_widgets() -> None:
    """Emit the CSS once per run (it takes no space on the page)."""
    st.html(SWEDISH_CSS)
