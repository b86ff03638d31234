"""Exports of the conference's documents (being written): ``journal(meeting, fmt, language)``."""
