"""Action records of plan versions -> links, changes, lineage history.

Owns: pairwise comparison evidence (``compare``), matching one version to the next (``match``),
lineage and history over many versions (``history``), and assembling versions from records
(``versions``). Input is records, never files: reading the versions is ingest's job.
May import: ``normalise.records``, ``normalise.text``. Never ``parsers``, ``output`` or ``ingest``.
"""
