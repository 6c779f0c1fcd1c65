"""Every sample runs as a script against its own LocalRegistry and prints what it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def run_sample(name: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CONTAINERREGISTRY_ENDPOINT"}
    result = subprocess.run(
        [sys.executable, str(SAMPLES / name), *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=SAMPLES, check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_sample_is_covered_here() -> None:
    covered = {
        "anonymous_access.py", "cleanup_old_tags.py", "copy_image.py", "list_repositories.py",
        "list_tags.py", "lock_manifest.py", "push_pull_artifact.py",
    }  # fmt: skip
    assert {p.name for p in SAMPLES.glob("*.py") if not p.name.startswith("_")} == covered


def test_list_repositories() -> None:
    out = run_sample("list_repositories.py")
    assert "library/hello-world: 5 tags, 5 manifests" in out
    assert "library/busybox: 1 tags, 1 manifests" in out


def test_list_tags_newest_first() -> None:
    lines = run_sample("list_tags.py").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["v5", "v4", "v3", "v2", "v1"]


def test_lock_manifest() -> None:
    out = run_sample("lock_manifest.py")
    assert "library/hello-world@sha256:" in out
    assert "locked: can_delete=False, can_write=False" in out


def test_cleanup_old_tags_is_a_dry_run_by_default() -> None:
    lines = run_sample("cleanup_old_tags.py", "--keep", "2").splitlines()
    assert lines[:5] == [
        "delete v1 (matched)", "delete v2 (matched)", "delete v3 (matched)",
        "keep   v4 (kept-by-keep)", "keep   v5 (kept-by-keep)",
    ]  # fmt: skip
    assert lines[5].startswith("delete 3 tags and 3 manifests")
    assert lines[-1] == "dry run: pass --delete to delete"


def test_cleanup_old_tags_deletes_with_flag() -> None:
    out = run_sample("cleanup_old_tags.py", "--keep", "3", "--delete")
    assert out.splitlines()[-1].startswith("deleted 4, skipped 0, failed 0")


def test_anonymous_access_reads_and_cannot_write() -> None:
    out = run_sample("anonymous_access.py")
    assert "library/hello-world: " in out
    assert "anonymous delete refused, as expected" in out


@pytest.mark.parametrize("name", ["push_pull_artifact.py", "copy_image.py"])
def test_content_samples_run(name: str) -> None:
    assert run_sample(name).strip()


def test_copy_image_mounts_within_the_registry_and_skips_on_a_second_copy() -> None:
    lines = run_sample("copy_image.py").splitlines()
    assert lines[0].startswith("copied library/hello-world:v1 to copies/hello-world:v1 (sha256:")
    assert lines[1].strip() == "2 blob mounted, 1 manifest copied"
    assert lines[3].strip() == "4 blob mounted, 3 manifest copied"
    assert lines[4] == "copied again: 1 manifest skipped"
