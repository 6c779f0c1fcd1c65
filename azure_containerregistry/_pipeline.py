"""Assemble the REST client: transport, the two pipelines, the challenge policy, the send paths.

This module sits above both ``_rest`` (which knows the wire) and ``_auth`` (which knows the
token rules), so neither imports the other's construction. API policies, in order: RequestId,
Headers, UserAgent, Proxy, (per-call policies), CheckedRedirect, BoundedRetry,
:class:`~._auth.ContainerRegistryChallengePolicy`, CustomHook, (per-retry policies), redacting
NetworkTraceLogging, DistributedTracing, SensitiveHeaderCleanup, redacting HttpLogging. No
``ContentDecodePolicy``: the REST layer reads and parses bodies itself, within bounds.

Token calls run on a second, smaller pipeline (no challenge policy, no redirects) over the *same*
transport instance, so they share its connection pool, proxies and TLS settings, and closing the
client closes everything exactly once.
"""

from __future__ import annotations

from typing import Any, List, Optional

from azure.core import PipelineClient
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.pipeline import Pipeline
from azure.core.pipeline.policies import (
    CustomHookPolicy,
    DistributedTracingPolicy,
    HeadersPolicy,
    ProxyPolicy,
    RequestIdPolicy,
    SensitiveHeaderCleanupPolicy,
    UserAgentPolicy,
)
from azure.core.pipeline.transport import HttpTransport, RequestsTransport

from ._auth import ContainerRegistryChallengePolicy
from ._auth._exchange import RegistryCredential, TokenClient
from ._policies import (
    DEFAULT_RETRY_AFTER_MAX,
    BoundedRetryPolicy,
    CheckedRedirectPolicy,
    RedactingHttpLoggingPolicy,
    RedactingNetworkTraceLoggingPolicy,
)
from ._rest._client import ContainerRegistryRestClient
from ._rest._sender import DEFAULT_CONNECTION_TIMEOUT, DEFAULT_READ_TIMEOUT, Sender
from ._rest.operations import AuthenticationOperations
from ._urls import RegistryUrls
from ._version import VERSION

__all__ = ["SDK_MONIKER", "create_rest_client"]

SDK_MONIKER = f"azure-acr-client/{VERSION}"
_DATA_BLOCK_SIZE = 64 * 1024


class _BorrowedTransport(HttpTransport):  # type: ignore[type-arg]
    """A view of another pipeline's transport that sends through it but never closes it."""

    def __init__(self, transport: HttpTransport) -> None:  # type: ignore[type-arg]
        self._transport = transport

    def send(self, request: Any, **kwargs: Any) -> Any:
        return self._transport.send(request, **kwargs)

    def sleep(self, duration: float) -> None:
        self._transport.sleep(duration)

    def open(self) -> None:
        """The owner opens the transport (lazily, on first send)."""

    def close(self) -> None:
        """The owner closes the transport."""

    def __enter__(self) -> _BorrowedTransport:
        return self

    def __exit__(self, *args: Any) -> None:
        """The owner closes the transport."""


def _as_list(policies: Any) -> List[Any]:
    if policies is None:
        return []
    return list(policies) if isinstance(policies, (list, tuple)) else [policies]


def _seconds(kwargs: dict[str, Any], name: str, default: float) -> float:
    value = kwargs.pop(name, None)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def _check_credential(credential: Any) -> None:
    """Refuse, before any request, a credential that could never sign in (a str, a tuple...)."""
    if credential is None or isinstance(credential, AzureNamedKeyCredential):
        return
    if not callable(getattr(credential, "get_token", None)):
        raise TypeError(
            "credential must be a TokenCredential (e.g. DefaultAzureCredential), an "
            "AzureNamedKeyCredential(username, password), or None; "
            f"not {type(credential).__name__}"
        )


def create_rest_client(
    endpoint: str,
    credential: Optional[RegistryCredential],
    *,
    aad_scope: str,
    api_version: str = "2021-07-01",
    **kwargs: Any,
) -> ContainerRegistryRestClient:
    """Build the REST client for ``endpoint``, authenticating with ``credential``.

    :param endpoint: normalised registry URL, ``https://<name>.azurecr.io``.
    :param credential: AAD token credential, a registry username and password
        (:class:`~azure.core.credentials.AzureNamedKeyCredential`), or None for anonymous access.
    :keyword aad_scope: AAD scope exchanged for ACR tokens.
    :keyword api_version: the ``/acr/v1`` API version.
    :keyword float connection_timeout: seconds to connect (default 10).
    :keyword float read_timeout: seconds to wait between bytes of an answer (default 60).
    :keyword float retry_after_max: longest ``Retry-After`` obeyed, in seconds (default 60).
    :keyword kwargs: other azure-core configuration: ``transport``, ``retry_total`` and other
        retry settings, ``timeout`` (a request's deadline across its retries), ``logging_enable``,
        ``headers``, ``user_agent``, ``proxies``, ``connection_verify``, ``per_call_policies``,
        ``per_retry_policies``, ...
    :raises ValueError: a malformed endpoint or setting.
    :raises TypeError: ``credential`` is none of those.
    """
    _check_credential(credential)
    if not aad_scope:
        raise ValueError("aad_scope must be a non-empty AAD scope such as '<audience>/.default'")
    urls = RegistryUrls(endpoint)
    connection_timeout = _seconds(kwargs, "connection_timeout", DEFAULT_CONNECTION_TIMEOUT)
    read_timeout = _seconds(kwargs, "read_timeout", DEFAULT_READ_TIMEOUT)
    retry_after_max = kwargs.pop("retry_after_max", DEFAULT_RETRY_AFTER_MAX)
    # Blob downloads stream through this; azure-core's 4 KiB default costs ~40% on large blobs.
    kwargs.setdefault("connection_data_block_size", _DATA_BLOCK_SIZE)
    transport: HttpTransport = kwargs.pop("transport", None) or RequestsTransport(  # type: ignore[type-arg]
        connection_timeout=connection_timeout, read_timeout=read_timeout, **kwargs
    )
    per_call = _as_list(kwargs.pop("per_call_policies", None))
    per_retry = _as_list(kwargs.pop("per_retry_policies", None))
    kwargs.setdefault("sdk_moniker", SDK_MONIKER)

    def retry_policy() -> BoundedRetryPolicy:
        return BoundedRetryPolicy(retry_after_max=retry_after_max, **kwargs)

    timeouts = {"connection_timeout": connection_timeout, "read_timeout": read_timeout}

    token_pipeline = Pipeline(
        _BorrowedTransport(transport),
        policies=[
            RequestIdPolicy(**kwargs),
            kwargs.get("user_agent_policy") or UserAgentPolicy(**kwargs),
            kwargs.get("proxy_policy") or ProxyPolicy(**kwargs),
            retry_policy(),
            RedactingNetworkTraceLoggingPolicy(**kwargs),
            RedactingHttpLoggingPolicy(**kwargs),
        ],
    )
    token_sender = Sender(PipelineClient(urls.base, pipeline=token_pipeline), urls, **timeouts)
    authentication = AuthenticationOperations(token_sender)
    policies = [
        kwargs.get("request_id_policy") or RequestIdPolicy(**kwargs),
        kwargs.get("headers_policy") or HeadersPolicy(**kwargs),
        kwargs.get("user_agent_policy") or UserAgentPolicy(**kwargs),
        kwargs.get("proxy_policy") or ProxyPolicy(**kwargs),
        *per_call,
        kwargs.get("redirect_policy") or CheckedRedirectPolicy(**kwargs),
        kwargs.get("retry_policy") or retry_policy(),
        ContainerRegistryChallengePolicy(
            urls.base, TokenClient(authentication, credential, aad_scope)
        ),
        kwargs.get("custom_hook_policy") or CustomHookPolicy(**kwargs),
        *per_retry,
        RedactingNetworkTraceLoggingPolicy(**kwargs),
        DistributedTracingPolicy(**kwargs),
        SensitiveHeaderCleanupPolicy(**kwargs),
        kwargs.get("http_logging_policy") or RedactingHttpLoggingPolicy(**kwargs),
    ]
    api_client: PipelineClient[Any, Any] = PipelineClient(
        urls.base, policies=policies, transport=transport
    )
    return ContainerRegistryRestClient(
        Sender(api_client, urls, **timeouts), authentication, api_version=api_version
    )
