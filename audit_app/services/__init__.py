"""Domain services: no Streamlit here; every function takes a Session (and an Actor to write)."""
