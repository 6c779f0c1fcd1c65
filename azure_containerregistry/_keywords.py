"""Constructor keywords that look like credentials: refused, with the way to sign in instead.

azure-core's pipeline takes unknown keywords silently, so ``ContainerRegistryClient(endpoint,
username="ci", password=...)`` would build an anonymous client that fails later with a 401 that
does not say why. These names are refused before any request, naming the keyword and the
right way. The values are never echoed: they may be secrets.
"""

from __future__ import annotations

from typing import Collection

__all__ = ["refuse_credential_keywords"]

_NAMED_KEY = (
    "pass AzureNamedKeyCredential(username, password) from azure.core.credentials as credential"
    " (an ACR admin user or a repository-scoped token)"
)
_TOKEN = (
    "pass a TokenCredential such as azure.identity.DefaultAzureCredential() as credential;"
    " the client exchanges its AAD tokens for registry tokens itself"
)
_SECRET = "pass azure.identity.ClientSecretCredential(tenant_id, client_id, secret) as credential"

_ADVICE = {
    "username": _NAMED_KEY,
    "user": _NAMED_KEY,
    "user_name": _NAMED_KEY,
    "password": _NAMED_KEY,
    "admin_password": _NAMED_KEY,
    "token": _TOKEN,
    "access_token": _TOKEN,
    "refresh_token": _TOKEN,
    "bearer_token": _TOKEN,
    "aad_token": _TOKEN,
    "api_key": _NAMED_KEY,
    "key": _NAMED_KEY,
    "secret": _SECRET,
    "client_id": _SECRET,
    "client_secret": _SECRET,
    "tenant_id": _SECRET,
    "auth": _TOKEN,
    "credentials": "the keyword is credential (singular), or the second positional argument",
}


def refuse_credential_keywords(keywords: Collection[str], owner: str) -> None:
    """Raise when ``keywords`` hold a name that looks like a credential.

    :param keywords: the extra keywords a constructor received.
    :param owner: the callable's name, for the message.
    :raises TypeError: naming the first such keyword and the right way to sign in.
    """
    for name in sorted(keywords):
        advice = _ADVICE.get(name.lower())
        if advice is not None:
            raise TypeError(f"{owner}() got an unexpected keyword argument {name!r}: {advice}")
