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
session is cancelled (``DELETE <Location>``) and the original error is raised. Bytes input has
its digest known up front: a ``HEAD`` first skips uploads the registry already has.
"""

from __future__ import annotations

import logging
import os
import re
from typing import IO, Any, Iterator, Tuple, Union

from .._errors import DigestValidationError, protocol_error
from .._rest._sender import Answer
from .._rest.operations import BlobsOperations
from .._validation import validate_digest, validate_repository
from ._digest import DigestHasher, compute_digest

__all__ = ["DEFAULT_CHUNK_SIZE", "MIN_CHUNK_SIZE", "BlobInput", "mount_blob", "upload_blob"]

_LOGGER = logging.getLogger(__name__)

#: ACR's own chunk size: a good balance of request count and memory.
DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024
#: Smaller chunks only multiply requests; some storage backends reject tiny ones.
MIN_CHUNK_SIZE = 64 * 1024

BlobInput = Union[bytes, bytearray, memoryview, IO[bytes]]
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


def upload_blob(
    operations: BlobsOperations,
    repository: str,
    data: BlobInput,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    **kwargs: Any,
) -> Tuple[str, int]:
    """Upload ``data`` as a blob of ``repository``; return its ``(digest, size)``.

    :param data: bytes, or any binary readable (file, pipe, ``BytesIO``, object with ``read``).
        Streams are read once, ``chunk_size`` bytes at a time, so memory stays constant.
    :keyword chunk_size: bytes per request, at least 64 KiB (default 4 MiB).
    :raises ValueError: invalid repository or chunk size, before any request.
    :raises DigestValidationError: the registry stored other content than was sent.
    :raises ~azure.core.exceptions.HttpResponseError: the registry refused; the session is
        cancelled first.
    """
    validate_repository(repository)
    check_chunk_size(chunk_size)
    known: str | None = None
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data).cast("B")
        known = compute_digest(view)
        if operations.exists(repository, known, **kwargs):
            return known, view.nbytes
        chunks = _buffer_chunks(view, chunk_size)
    elif callable(getattr(data, "read", None)):
        chunks = _stream_chunks(data, chunk_size)
        chunks = _first_ahead(chunks)  # a text stream fails here, before a session is opened
    else:
        raise TypeError(f"data must be bytes or a binary stream, not {type(data).__name__}")
    return _upload(operations, repository, chunks, known, **kwargs)


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
    hasher = DigestHasher()
    location = operations.next_location(operations.start_upload(repository, **kwargs))
    committed: Answer | None = None
    try:
        for chunk, last in chunks:
            hasher.update(chunk)
            if last:
                digest = known or hasher.digest
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
    if known is not None and hasher.digest != known:
        raise DigestValidationError(
            f"data changed while uploading: sent {hasher.digest}, not {known}"
        )
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
        upload session, which is cancelled here) and the caller must upload the blob.
    """
    validate_repository(repository)
    validate_repository(from_repository, "from_repository")
    validate_digest(digest)
    answer = operations.mount(repository, digest, from_repository, **kwargs)
    if answer.response.status_code == 201:
        return True
    _cancel(operations, operations.next_location(answer), **kwargs)
    return False
