"""Authentication for the registry: the Bearer challenge, token exchange and caching.

The registry answers an unauthenticated request with ``401`` and a ``WWW-Authenticate: Bearer``
challenge naming a *service* and a *scope*. The client trades the caller's Azure AD token for an
ACR refresh token (``POST /oauth2/exchange``) and that for an access token per scope
(``POST /oauth2/token``). :class:`ContainerRegistryChallengePolicy` drives this inside the
azure-core pipeline and caches both tokens, so a steady-state call costs one request.
"""

from __future__ import annotations

from ._policy import ContainerRegistryChallengePolicy

__all__ = ["ContainerRegistryChallengePolicy"]
