"""plantrail: committee papers (plans and reports) into data.

The repository's top-level folders are installed as subpackages of ``plantrail``
(see pyproject.toml), so users write ``import plantrail.parsers``.
"""

__version__ = "0.1.0"
