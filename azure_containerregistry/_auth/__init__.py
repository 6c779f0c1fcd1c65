"""Authentication for the registry: the Bearer challenge, token exchange and caching.

The registry answers an unauthenticated request with ``401`` and a ``WWW-Authenticate: Bearer``
challenge naming a *service* and a *scope*. The client trades the caller's Azure AD token for an
ACR refresh token (``POST /oauth2/exchange``) and that for an access token per scope
(``POST /oauth2/token``); a username and password (``AzureNamedKeyCredential``) get access tokens
from ``GET /oauth2/token`` with HTTP Basic auth instead, or go as Basic on every request to a
registry that asks for that. :class:`ContainerRegistryChallengePolicy` drives this inside the
azure-core pipeline and caches both tokens, so a steady-state call costs one request; its rules
live, free of I/O, in :mod:`._flow`.

The pipeline assembly wires it up, with the REST layer's token routes as ``operations``::

    token_client = TokenClient(operations, credential, aad_scope)
    policy = ContainerRegistryChallengePolicy(endpoint, token_client)
"""

from __future__ import annotations

from ._exchange import TokenClient, TokenOperations
from ._policy import ContainerRegistryChallengePolicy

__all__ = ["ContainerRegistryChallengePolicy", "TokenClient", "TokenOperations"]
