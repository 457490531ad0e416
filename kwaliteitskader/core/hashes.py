"""The hash functions the program uses for its digests and seals: BLAKE2b and SHA-256 as built into Python.

They give the same digests as :mod:`hashlib`'s, without loading OpenSSL, which a short command (``classify``
of one file, a warm ``compare``) would otherwise pay for a handful of digests. A Python built without them
falls back to :mod:`hashlib`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import blake2b as blake2b
    from hashlib import sha256 as sha256
else:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Python builds
        from hashlib import blake2b
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - other Python builds (3.12 calls it _sha2)
        from hashlib import sha256

__all__ = ["blake2b", "sha256"]
