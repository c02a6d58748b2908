"""Pure domain rules: labels, Swedish text, calendar rules and the typed agenda.

Nothing here opens a database session or imports Streamlit; services and views build on it.
"""
