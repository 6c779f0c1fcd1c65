"""A local, ACR-compatible container registry for tests, samples and offline development.

Standard library only. See :class:`LocalRegistry`.
"""

from __future__ import annotations

from ._http import RequestRecord
from ._registry import LocalRegistry
from ._throttle import Throttle
from ._tokens import LocalCredential

__all__ = ["LocalCredential", "LocalRegistry", "RequestRecord", "Throttle"]
