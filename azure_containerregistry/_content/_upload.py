"""Stream a blob into a repository: constant memory, each byte sent once, no session left behind.

The protocol (distribution spec, as ACR speaks it):

1. ``POST /v2/<repo>/blobs/uploads/`` opens a session. It has no body and needs the push scope,
   so the auth policy has a push token cached before any byte of content leaves.
2. Every full chunk but the last is ``PATCH``ed to the session's ``Location``; the registry's
   ``Range`` answer must acknowledge exactly the bytes sent so far.
3. ``PUT <Location>?digest=sha256:...`` carries the last chunk (an input that fits one chunk is
   thus one POST and one PUT) and commits; ``Docker-Content-Digest`` must equal our digest.

Chunks are sent as ``bytes``, never as the caller's stream, so a resend after a surprise ``401``
repeats the same bytes instead of whatever the stream holds next. When anything fails the
session is cancelled (``DELETE <Location>``) and the original error is raised. When the digest is
known up front (bytes, a ``DownloadBlobStream``, ``expected_digest=``) a ``HEAD`` first skips
uploads the registry already has, and the content is checked against it before the commit.
"""

from __future__ import annotations

import logging
import os
import re
from typing import IO, Any, Iterable, Iterator, Tuple, Union

from azure.core.exceptions import HttpResponseError

from .._errors import DigestValidationError, protocol_error
from .._rest._sender import Answer
from .._rest.operations import BlobsOperations
from .._validation import validate_digest, validate_repository
from ._digest import DigestHasher, compute_digest

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "MIN_CHUNK_SIZE",
    "BlobInput",
    "mount_blob",
    "upload_blob",
    "upload_pieces",
]

_LOGGER = logging.getLogger(__name__)

#: ACR's own chunk size: a good balance of request count and memory.
DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024
#: Smaller chunks only multiply requests; some storage backends reject tiny ones.
MIN_CHUNK_SIZE = 64 * 1024

#: bytes, a binary readable, or any iterable of bytes (a ``DownloadBlobStream`` among them).
BlobInput = Union[bytes, bytearray, memoryview, IO[bytes], Iterable[bytes]]
_Chunks = Iterator[Tuple[bytes, bool]]  # (chunk, is_last)
_RANGE = re.compile(r"^(?:bytes=)?(\d+)-(\d+)$")


def check_chunk_size(chunk_size: object) -> int:
    """Return ``chunk_size`` if it is an int of at least 64 KiB."""
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool):
        raise TypeError(f"chunk_size must be an int, not {type(chunk_size).__name__}")
    if chunk_size < MIN_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be at least {MIN_CHUNK_SIZE} bytes (64 KiB)")
    return chunk_size


def _read_full(stream: IO[bytes], size: int) -> bytes:
    """Read ``size`` bytes, fewer only at end of stream (pipes and sockets return short reads)."""
    first = stream.read(size)
    if first is None:
        raise ValueError("data is a non-blocking stream with nothing to read; pass a blocking one")
    if not isinstance(first, bytes):
        raise TypeError("data must be a binary stream (its read() must return bytes)")
    if len(first) == size or not first:
        return first
    parts = [first]
    missing = size - len(first)
    while missing:
        part = stream.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def _at_end(stream: IO[bytes]) -> bool | None:
    """Whether ``stream`` is exhausted, found without consuming it; None when it cannot tell."""
    peek = getattr(stream, "peek", None)
    if callable(peek):  # buffered files and pipes: look at the buffer
        return not peek(1)
    try:
        if stream.seekable():
            position = stream.tell()
            end = stream.seek(0, os.SEEK_END)
            stream.seek(position)
            return position >= end
    except (AttributeError, OSError, ValueError):
        pass
    return None


def _stream_chunks(stream: IO[bytes], chunk_size: int) -> _Chunks:
    """Full chunks, each flagged whether it is the last.

    The end is found by peeking or seeking where the stream allows it, else by reading one byte
    ahead (carried into the next chunk). Only one chunk is referenced at a time.
    """
    carry = b""
    while True:
        chunk = _read_full(stream, chunk_size - len(carry))
        if carry:
            chunk = carry + chunk
            carry = b""
        if len(chunk) < chunk_size:
            yield chunk, True
            return
        at_end = _at_end(stream)
        if at_end is None:
            carry = _read_full(stream, 1)
            at_end = not carry
        yield chunk, at_end
        if at_end:
            return
        chunk = b""  # drop our reference before reading the next one


def _buffer_chunks(view: memoryview, chunk_size: int) -> _Chunks:
    size = len(view)
    if size == 0:
        yield b"", True
        return
    for start in range(0, size, chunk_size):
        end = start + chunk_size
        yield bytes(view[start:end]), end >= size


def _check_acknowledged(answer: Answer, sent: int) -> None:
    """The registry's ``Range: 0-<n>`` must cover exactly the ``sent`` bytes."""
    match = _RANGE.match(answer.response.headers.get("Range", "").strip())
    if match and int(match.group(2)) + 1 != sent:
        raise protocol_error(
            f"registry acknowledged {int(match.group(2)) + 1} bytes of the upload, "
            f"{sent} were sent",
            answer.response,
        )


def _known_digest(expected_digest: object) -> str:
    digest = validate_digest(expected_digest, "expected_digest")
    DigestHasher.for_digest(digest)  # an algorithm we cannot compute fails before any request
    return digest


def upload_blob(
    operations: BlobsOperations,
    repository: str,
    data: BlobInput,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    expected_digest: str | None = None,
    **kwargs: Any,
) -> Tuple[str, int]:
    """Upload ``data`` as a blob of ``repository``; return its ``(digest, size)``.

    :param data: bytes; any binary readable (file, pipe, ``BytesIO``, object with ``read``); or
        any iterable of bytes, such as a :class:`DownloadBlobStream` from another repository or
        registry. Streams are read once, ``chunk_size`` bytes at a time, so memory stays constant.
    :keyword chunk_size: bytes per request, at least 64 KiB (default 4 MiB).
    :keyword expected_digest: the digest ``data`` must have. With it (or with bytes, or a
        ``DownloadBlobStream``, whose digests are known) a blob the registry already has is not
        sent again; a skipped ``DownloadBlobStream`` is closed unread.
    :raises ValueError: invalid repository, chunk size or digest, before any request.
    :raises DigestValidationError: the content does not have ``expected_digest`` (the session is
        cancelled before the commit), or the registry stored other content than was sent.
    :raises ~azure.core.exceptions.HttpResponseError: the registry refused; the session is
        cancelled first.
    """
    validate_repository(repository)
    check_chunk_size(chunk_size)
    known = None if expected_digest is None else _known_digest(expected_digest)
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data).cast("B")
        actual = compute_digest(view, (known or "sha256").partition(":")[0])
        if known is not None and actual != known:
            raise DigestValidationError(f"data has digest {actual}, not the expected {known}")
        if operations.exists(repository, actual, **kwargs):
            return actual, view.nbytes
        return _upload(operations, repository, _buffer_chunks(view, chunk_size), actual, **kwargs)
    from ._download import DownloadBlobStream  # it imports this module; only its type is needed

    size_hint: int | None = None
    if isinstance(data, DownloadBlobStream):
        if known is not None and known != data.digest:
            raise DigestValidationError(
                f"the stream downloads {data.digest}, not the expected {known}"
            )
        known, size_hint = data.digest, data.size
    chunks = _chunks_of(data, chunk_size)
    if known is not None:
        stat = operations.stat(repository, known, **kwargs)
        size = stat.size if stat is not None and stat.size is not None else size_hint
        if stat is not None and size is not None:
            if isinstance(data, DownloadBlobStream):
                data.close()
            return known, size
    return _upload(operations, repository, _first_ahead(chunks), known, **kwargs)


def upload_pieces(
    operations: BlobsOperations,
    repository: str,
    pieces: Iterable[bytes],
    digest: str,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    **kwargs: Any,
) -> Tuple[str, int]:
    """Upload ``pieces`` (which must have ``digest``) without asking whether the blob exists.

    For callers that already asked, e.g. an image copy that checked the target first.
    """
    return _upload(
        operations, repository, _first_ahead(_iterable_chunks(pieces, chunk_size)), digest,
        **kwargs,
    )  # fmt: skip


def _chunks_of(data: object, chunk_size: int) -> _Chunks:
    if callable(getattr(data, "read", None)):
        return _stream_chunks(data, chunk_size)  # type: ignore[arg-type]
    if isinstance(data, Iterable) and not isinstance(data, str):
        return _iterable_chunks(data, chunk_size)
    raise TypeError(
        f"data must be bytes, a binary stream or an iterable of bytes, not {type(data).__name__}"
    )


def _iterable_chunks(pieces: Iterable[bytes], chunk_size: int) -> _Chunks:
    """Pieces of any size regrouped into full chunks; a full chunk is held back until more data
    follows, so the last one is known to be last."""
    buffer = bytearray()
    for piece in pieces:
        if not isinstance(piece, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must yield bytes, not {type(piece).__name__}")
        buffer += piece
        while len(buffer) > chunk_size:
            yield bytes(buffer[:chunk_size]), False
            del buffer[:chunk_size]
    yield bytes(buffer), True


def _first_ahead(chunks: _Chunks) -> _Chunks:
    """``chunks`` with the first one already read, so reading errors come before any request."""
    first = next(chunks)

    def replay() -> _Chunks:
        yield first
        yield from chunks

    return replay()


def _upload(
    operations: BlobsOperations,
    repository: str,
    chunks: _Chunks,
    known: str | None,
    **kwargs: Any,
) -> Tuple[str, int]:
    hasher = DigestHasher.for_digest(known) if known else DigestHasher()
    location = operations.next_location(operations.start_upload(repository, **kwargs))
    committed: Answer | None = None
    try:
        for chunk, last in chunks:
            hasher.update(chunk)
            if last:
                digest = hasher.digest
                if known is not None and digest != known:  # checked before the commit
                    raise DigestValidationError(
                        f"data has digest {digest}, not the expected {known}; upload cancelled"
                    )
                committed = operations.complete_upload(location, digest, chunk, **kwargs)
                break
            answer = operations.upload_chunk(location, chunk, **kwargs)
            _check_acknowledged(answer, hasher.size)
            location = operations.next_location(answer)
            del answer, chunk  # the response holds its request, and so the chunk: let both go
    except BaseException:
        if committed is None:
            _cancel(operations, location, **kwargs)
        raise
    if committed is None:  # pragma: no cover - the chunk iterators always flag a last chunk
        raise RuntimeError("upload ended without a last chunk")
    reported = committed.response.headers.get("Docker-Content-Digest")
    if reported and reported != digest:
        raise DigestValidationError(
            f"registry stored blob {reported} in {repository}, "
            f"but the bytes sent have digest {digest}"
        )
    return digest, hasher.size


def _cancel(operations: BlobsOperations, location: str, **kwargs: Any) -> None:
    """Best-effort ``DELETE <Location>``; its own failure must not hide the original error."""
    try:
        operations.cancel_upload(location, **kwargs)
    except Exception:  # the caller is already raising the error that matters
        _LOGGER.warning("could not cancel a failed blob upload session", exc_info=True)


def mount_blob(
    operations: BlobsOperations,
    repository: str,
    digest: str,
    from_repository: str,
    **kwargs: Any,
) -> bool:
    """Make ``from_repository``'s blob ``digest`` part of ``repository`` without copying bytes.

    :returns: True when mounted; False when the registry could not (it then opens an ordinary
        upload session, which is cancelled here, or refuses the credential's access to
        ``from_repository``) and the caller must upload the blob.
    """
    validate_repository(repository)
    validate_repository(from_repository, "from_repository")
    validate_digest(digest)
    try:
        answer = operations.mount(repository, digest, from_repository, **kwargs)
    except HttpResponseError as exc:
        if exc.status_code in (401, 403):  # may push here but not read there: copy instead
            return False
        raise
    if answer.response.status_code == 201:
        return True
    _cancel(operations, operations.next_location(answer), **kwargs)
    return False
