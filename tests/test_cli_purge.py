"""``python -m azure_containerregistry purge`` on LocalRegistry: dry runs, plans, exit codes."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from azure_containerregistry._cli import main
from azure_containerregistry.testing import LocalRegistry

OLD = datetime(2020, 1, 1, tzinfo=timezone.utc)
NEW = datetime.now(timezone.utc) - timedelta(hours=1)


def seed(registry: LocalRegistry) -> None:
    for day in range(3):
        registry.add_image("app", tags=[f"old{day}"], created_on=OLD + timedelta(days=day))
    registry.add_image("app", tags=["new"], created_on=NEW)
    registry.add_image("app", tags=["locked"], created_on=OLD, can_delete=False)


def run(registry: LocalRegistry, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["purge", *argv, "--registry", registry.endpoint],
                credential=registry.credential(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def writes(registry: LocalRegistry) -> list[str]:
    return [f"{r.method} {r.path}" for r in registry.requests
            if r.method not in ("GET", "HEAD") and not r.path.startswith("/oauth2/")]


def test_dry_run_lists_what_would_go_and_sends_no_write(registry: LocalRegistry) -> None:
    seed(registry)
    code, out, _ = run(registry, "--filter", "app:.*", "--ago", "30d", "--untagged", "--dry-run")
    assert code == 0
    would = sorted(line.split()[3] for line in out.splitlines() if line.startswith("would"))
    assert [w for w in would if w.startswith("app:")] == ["app:old0", "app:old1", "app:old2"]
    assert writes(registry) == []
    assert sorted(registry.tags("app")) == ["locked", "new", "old0", "old1", "old2"]


def test_purge_deletes_old_tags_keeps_new_and_locked_and_logs_each_action(
    registry: LocalRegistry,
) -> None:
    seed(registry)
    code, out, _ = run(registry, "--filter", "app:.*", "--ago", "30d", "--untagged")
    assert code == 0, out
    assert sorted(registry.tags("app")) == ["locked", "new"]
    assert sum(line.startswith("deleted tag app:old") for line in out.splitlines()) == 3
    assert "failed 0" in out.splitlines()[-1]


def test_saved_plan_runs_later_exactly_as_reviewed(registry: LocalRegistry, tmp_path: Path) -> None:
    seed(registry)
    saved = tmp_path / "plan.json"
    assert run(registry, "--filter", "app:old.*", "--dry-run", "--plan-out", str(saved))[0] == 0
    registry.add_image("app", tags=["old9"], created_on=OLD)  # not in the reviewed plan
    code, out, _ = run(registry, "--plan-in", str(saved), "--output", "json")
    report = json.loads(out)
    assert (code, report["ok"]) == (0, True)
    assert sorted(registry.tags("app")) == ["locked", "new", "old9"]


def test_a_persistent_failure_exits_1_and_reports_it(registry: LocalRegistry) -> None:
    seed(registry)
    registry.fail_next(1000, status=500, method="DELETE")
    code, out, _ = run(registry, "--filter", "app:old0", "--output", "json")
    report = json.loads(out)
    assert code == 1
    assert [f["item"]["name"] for f in report["failed"]] == ["old0"]
    assert "old0" in registry.tags("app")


@pytest.mark.parametrize("rules", [["--filter", "app:[", "--dry-run"], ["--filter", "nocolon"]])
def test_bad_rules_exit_2_before_any_request(registry: LocalRegistry, rules: list[str]) -> None:
    code, _, err = run(registry, *rules)
    assert code == 2
    assert err.startswith("error:")
    assert registry.requests == []
