"""Revisionsstöd: follow-up of contractors in Swedish municipal care."""

__version__ = "0.1.0"
