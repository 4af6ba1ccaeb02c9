"""Content identity of an input file.

The sha256 of the exact bytes is what ties every record back to one file version: two
copies of a plan under different names are the same document, and a re-issued plan with one
changed cell is a different one.
"""

from __future__ import annotations

import hashlib


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data`` (lower case, 64 characters)."""
    return hashlib.sha256(data).hexdigest()
