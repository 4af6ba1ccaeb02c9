"""Text shared by every normalise room: cleaning, the one date reader, vocabularies.

Owns: ``clean`` (whitespace and artefact repair), ``dates`` (the one date/period reader),
``vocab`` (statuses, stop-words, number words, stemming; word lists are data files beside it).
May import: the standard library and third-party text libraries only; nothing else of plantrail.
"""
