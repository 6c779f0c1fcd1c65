"""Stream a blob out of a registry: ranged GETs, resumed after drops, verified before success.

Each chunk is one ``GET /v2/<repo>/blobs/<digest>`` with ``Range: bytes=<a>-<b>``, streamed
(``stream=True``) and read to its end, so the pooled connection is reused for the next range.
A ``307`` to blob storage is followed by azure-core, whose redirect handling drops
``Authorization`` on the way to another host. When a body stops early (dropped connection,
truncated read), the next request asks for ``Range`` from the first byte not yet received, so
every byte is delivered exactly once. The digest is computed as bytes flow and checked before
the iterator ends: a mismatch raises :class:`DigestValidationError` instead of ``StopIteration``.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from typing import Any, Generator, NamedTuple, Union

from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError
from azure.core.rest import HttpResponse

from .._display import Row, html_table, pretty
from .._errors import DigestValidationError, protocol_error, raise_response_error
from .._rest.operations import BlobsOperations
from .._validation import validate_digest, validate_repository
from ._digest import DigestHasher
from ._upload import DEFAULT_CHUNK_SIZE, check_chunk_size

__all__ = ["DownloadBlobStream", "download_blob"]

_LOGGER = logging.getLogger(__name__)

#: Consecutive failed reads that delivered no byte before giving up.
MAX_RESUMES = 3
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_TOTAL_ONLY = re.compile(r"^bytes \*/(\d+)$")
# What a body read raises when the connection breaks (azure-core wraps requests/urllib3 errors).
_READ_ERRORS = (HttpResponseError, ServiceRequestError, ServiceResponseError, OSError)

PathLike = Union[str, "os.PathLike[str]"]


class _Range(NamedTuple):
    response: HttpResponse
    expected: int  # body bytes this response should deliver
    total: int | None  # blob size, when the registry said
    skip: int  # leading body bytes to discard (a 200 answered to a mid-blob range)


class _BlobReader:
    """Issues the ranged requests of one download and yields the body bytes in order."""

    def __init__(
        self,
        operations: BlobsOperations,
        repository: str,
        digest: str,
        chunk_size: int,
        kwargs: dict[str, Any],
    ) -> None:
        self._operations = operations
        self._repository = repository
        self._digest = digest
        self._chunk_size = chunk_size
        self._kwargs = kwargs
        self._storage_url: str | None = None

    def request(self, offset: int, total: int | None) -> _Range:
        """Ask for the next range; map the answer (206, 200, 416 on an empty blob, errors).

        After the registry redirected to storage once, later ranges go straight to the storage
        URL (one request each instead of two); if storage refuses it (an expired link), the
        registry is asked again.
        """
        end = offset + self._chunk_size - 1
        if total is not None:
            end = min(end, total - 1)
        get = self._operations.get
        response = None
        if self._storage_url is not None:
            response = get(self._repository, self._digest, offset, end,
                           storage_url=self._storage_url, **self._kwargs)  # fmt: skip
            if response.status_code not in (200, 206):
                response.close()
                self._storage_url = response = None
        if response is None:
            response = get(self._repository, self._digest, offset, end, **self._kwargs)
            final_url = response.request.url
            if response.status_code == 206 and not self._operations.is_registry_url(final_url):
                self._storage_url = final_url
        try:
            answer = self._interpret(response, offset, end, total)
            if answer.total is None:
                answer = self._bounded(answer, offset)
            return answer
        except BaseException:
            response.close()
            raise

    def _bounded(self, answer: _Range, offset: int) -> _Range:
        """Learn the size the answer did not tell (``*`` total, a 200 without length) from
        ``HEAD``, so no server can stream more than the blob holds; refuse when nobody says."""
        stat = self._operations.stat(self._repository, self._digest, **self._kwargs)
        if stat is None or stat.size is None:
            raise protocol_error(
                f"blob {self._digest}: the registry does not say how large it is", answer.response
            )
        expected = stat.size - offset if answer.expected < 0 else answer.expected
        if offset + expected > stat.size:
            raise protocol_error(
                f"blob {self._digest}: range answer goes past its {stat.size} bytes",
                answer.response,
            )
        return answer._replace(expected=expected, total=stat.size)

    @staticmethod
    def _interpret(response: HttpResponse, offset: int, end: int, total: int | None) -> _Range:
        status = response.status_code
        content_range = response.headers.get("Content-Range", "").strip()
        if status == 206:
            match = _CONTENT_RANGE.match(content_range)
            final = int(match.group(2)) if match else -1
            if not match or int(match.group(1)) != offset or not offset <= final <= end:
                raise protocol_error(
                    f"registry answered range {content_range[:100]!r} to a request for bytes "
                    f"{offset}-{end}",
                    response,
                )
            first, last, size = match.groups()
            return _Range(response, int(last) - int(first) + 1, _int(size, total), 0)
        if status == 200:  # Range ignored: the whole blob comes, skip what we already have
            length = response.headers.get("Content-Length", "")
            size = int(length) if length.isdigit() else total
            expected = size - offset if size is not None else -1
            return _Range(response, expected, size, offset)
        if status == 416:  # an empty blob has no byte 0
            match = _TOTAL_ONLY.match(content_range)
            if match and offset == 0 and int(match.group(1)) == 0:
                return _Range(response, 0, 0, 0)
        raise_response_error(response)

    def chunks(self, first: _Range) -> Generator[bytes, None, None]:
        hasher = DigestHasher.for_digest(self._digest)
        offset = 0
        failures = 0
        pending: _Range | None = first
        total = first.total
        while True:
            if pending is None:
                if total is not None and offset >= total:
                    break
                pending = self.request(offset, total)
            response, expected, total, skip = pending
            pending = None
            received = 0
            try:
                for piece in response.iter_bytes():
                    if skip:
                        dropped = min(skip, len(piece))
                        skip -= dropped
                        piece = piece[dropped:]
                        if not piece:
                            continue
                    if (total is not None and offset + len(piece) > total) or (
                        expected >= 0 and received + len(piece) > expected
                    ):
                        raise DigestValidationError(
                            f"blob {self._digest}: registry sent more bytes than it announced"
                        )
                    hasher.update(piece)
                    offset += len(piece)
                    received += len(piece)
                    yield piece
            except _READ_ERRORS as exc:
                failures = 1 if received else failures + 1
                if failures > MAX_RESUMES:
                    raise
                _LOGGER.info(
                    "blob read broke at byte %d (%s); resuming", offset, type(exc).__name__
                )
                continue
            finally:
                response.close()
            if expected < 0:  # a 200 without Content-Length: the body was the blob
                total = offset
            elif received < expected:  # body ended early without an error
                failures = 1 if received else failures + 1
                if failures > MAX_RESUMES:
                    raise DigestValidationError(
                        f"blob {self._digest}: body truncated at byte {offset}, expected {expected}"
                    )
                continue
            failures = 0
            if total is None and received < self._chunk_size:  # 206 of unknown total: short = end
                total = offset
        if hasher.digest != self._digest:
            raise DigestValidationError(
                f"blob {self._repository}@{self._digest}: downloaded {hasher.size} bytes with "
                f"digest {hasher.digest}"
            )


def _int(value: str, default: int | None) -> int | None:
    return int(value) if value.isdigit() else default


class DownloadBlobStream:
    """The bytes of a blob, as an iterator of chunks; the digest is checked before the end.

    Use it as an iterator (``for chunk in stream``) or a context manager; :meth:`close` releases
    the connection early. Iteration raises :class:`DigestValidationError` instead of finishing
    when the content does not match its digest, and keeps raising it afterwards: a partial or
    altered blob is never reported complete. :meth:`readinto_file` saves it atomically.

    :ivar digest: the digest being downloaded (and verified).
    :ivar size: the blob size in bytes when the registry announced it, else None.
    """

    def __init__(
        self, chunks: Generator[bytes, None, None], *, digest: str, size: int | None
    ) -> None:
        self._chunks = chunks
        self._digest = digest
        self._size = size
        self._error: BaseException | None = None
        self._done = False

    @property
    def digest(self) -> str:
        return self._digest

    @property
    def size(self) -> int | None:
        return self._size

    def __iter__(self) -> DownloadBlobStream:
        return self

    def __next__(self) -> bytes:
        if self._error is not None:
            raise self._error
        try:
            return next(self._chunks)
        except StopIteration:
            self._done = True
            raise
        except Exception as exc:
            self._error = exc
            raise

    def close(self) -> None:
        """Stop the download and release its connection; safe to call more than once."""
        self._chunks.close()

    def __enter__(self) -> DownloadBlobStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def readinto_file(self, path: PathLike) -> int:
        """Write the blob to ``path`` and return its size.

        The bytes go to a temporary file beside ``path``, renamed over it only after the digest
        matched; on any failure the temporary file is removed and ``path`` is left untouched.
        """
        target = os.fspath(path)
        directory, name = os.path.split(os.path.abspath(target))
        temporary = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.partial")
        written = 0
        try:
            with open(temporary, "xb") as output:
                for chunk in self:
                    output.write(chunk)
                    written += len(chunk)
                output.flush()
                os.fsync(output.fileno())
            os.replace(temporary, target)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        finally:
            self.close()
        return written

    def _state(self) -> str:
        return "failed" if self._error else "complete" if self._done else "open"

    def __repr__(self) -> str:
        return f"DownloadBlobStream(digest={self._digest!r}, size={self._size}, {self._state()})"

    def _display_rows(self) -> list[Row]:
        return [("digest", self._digest), ("size", self._size), ("state", self._state())]

    def _repr_html_(self) -> str:
        """A compact HTML table of digest, size and state, for Jupyter."""
        return html_table("DownloadBlobStream", self._display_rows())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: one field per line."""
        pretty(printer, cycle, "DownloadBlobStream", self._display_rows())


def download_blob(
    operations: BlobsOperations,
    repository: str,
    digest: str,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    **kwargs: Any,
) -> DownloadBlobStream:
    """Start downloading blob ``digest`` of ``repository``.

    The first range is requested now, so a missing blob raises here, not on first iteration.

    :keyword chunk_size: bytes per ranged request, at least 64 KiB (default 4 MiB).
    :raises ValueError: invalid repository, digest or chunk size, before any request.
    :raises ~azure.core.exceptions.ResourceNotFoundError: no such blob.
    """
    validate_repository(repository)
    validate_digest(digest)
    DigestHasher.for_digest(digest)  # unsupported algorithms fail before any request
    check_chunk_size(chunk_size)
    reader = _BlobReader(operations, repository, digest, chunk_size, kwargs)
    first = reader.request(0, None)
    return DownloadBlobStream(reader.chunks(first), digest=digest, size=first.total)
