"""Shared fixtures: a started :class:`LocalRegistry` and a factory for custom options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest

from azure_containerregistry.testing import LocalRegistry


@pytest.fixture
def registry() -> Iterator[LocalRegistry]:
    """A started LocalRegistry with default options (http, no anonymous pull)."""
    with LocalRegistry() as reg:
        yield reg


@pytest.fixture
def registry_factory() -> Iterator[Callable[..., LocalRegistry]]:
    """Call with LocalRegistry keyword options; every registry made is started and stopped."""
    made: list[LocalRegistry] = []

    def make(**options: Any) -> LocalRegistry:
        reg = LocalRegistry(**options).start()
        made.append(reg)
        return reg

    yield make
    for reg in made:
        reg.stop()
