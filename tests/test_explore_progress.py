"""Inventory progress: callback events and counts, tqdm bars, and silence when nobody looks."""

from __future__ import annotations

import sys
import threading
from typing import Iterator, List

import pytest

from azure_containerregistry import ContainerRegistryClient
from azure_containerregistry.explore import ProgressEvent, inventory
from azure_containerregistry.testing import LocalRegistry


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[ContainerRegistryClient]:
    for n in range(3):
        registry.add_image(f"repo{n}", tags=["latest"])
        registry.add_image(f"repo{n}")
    registry.add_index("multi", tags=["latest"])  # an index and two children
    with ContainerRegistryClient(registry.endpoint, registry.credential()) as made:
        yield made


def test_callback_counts_every_repository_and_body_then_done(
        client: ContainerRegistryClient) -> None:
    events: List[ProgressEvent] = []
    threads = set()

    def record(event: ProgressEvent) -> None:
        events.append(event)
        threads.add(threading.get_ident())

    inventory(client, layers=True, progress=record)
    repositories = [e for e in events if e.kind == "repository"]
    bodies = [e for e in events if e.kind == "manifest"]
    assert [e.done for e in repositories] == [1, 2, 3, 4]
    assert {e.total for e in repositories} == {4}
    assert sorted(e.name for e in repositories) == ["multi", "repo0", "repo1", "repo2"]
    assert [e.done for e in bodies] == list(range(1, 10)) and {e.total for e in bodies} == {9}
    assert events[-1].kind == "done" and events[-1].manifests == 9 and events[-1].errors == 0
    assert events.index(bodies[0]) > events.index(repositories[-1])  # listings come first
    assert threads == {threading.get_ident()}  # always the caller's thread: no lock needed


def test_without_layers_only_repositories_are_reported(client: ContainerRegistryClient) -> None:
    events: List[ProgressEvent] = []
    inventory(client, progress=events.append)
    assert [e.kind for e in events] == ["repository"] * 4 + ["done"]


def test_errors_are_counted_as_they_happen(client: ContainerRegistryClient) -> None:
    events: List[ProgressEvent] = []
    inventory(client, ["repo0", "missing"], progress=events.append)
    assert events[-1].errors == 2  # its manifests and its tags


def test_progress_true_draws_a_tqdm_bar_on_stderr(client: ContainerRegistryClient,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    inventory(client, layers=True, progress=True)
    err = capsys.readouterr().err
    assert "repositories" in err and "4/4" in err
    assert "manifest bodies" in err and "9/9" in err


def test_default_is_silent_when_stderr_is_not_a_terminal(
        client: ContainerRegistryClient, capsys: pytest.CaptureFixture[str]) -> None:
    inventory(client, layers=True)
    assert capsys.readouterr().err == ""


def test_progress_false_is_silent(client: ContainerRegistryClient,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    inventory(client, layers=True, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_true_without_tqdm_names_the_extra(client: ContainerRegistryClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if not installed
    with pytest.raises(ImportError, match=r"azure-acr-client\[notebook\]"):
        inventory(client, progress=True)
    assert inventory(client, progress=None).errors == ()  # the default just stays quiet


def test_a_progress_that_is_not_a_callable_is_refused(client: ContainerRegistryClient) -> None:
    with pytest.raises(TypeError, match="progress"):
        inventory(client, progress="yes")  # type: ignore[arg-type]
