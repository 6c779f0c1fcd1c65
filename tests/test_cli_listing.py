"""``python -m azure_containerregistry repos|tags|manifests`` against LocalRegistry."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from azure_containerregistry._cli import main
from azure_containerregistry.testing import LocalRegistry


def run(registry: LocalRegistry, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--registry", registry.endpoint], credential=registry.credential(),
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_repos_lists_every_repository_one_per_line(registry: LocalRegistry) -> None:
    for name in ("b/two", "a/one", "c"):
        registry.add_image(name, tags=["v1"])
    assert run(registry, "repos") == (0, "a/one\nb/two\nc\n", "")


def test_repos_top_and_json(registry: LocalRegistry) -> None:
    for name in ("a", "b", "c"):
        registry.add_image(name, tags=["v1"])
    code, out, _ = run(registry, "repos", "--top", "2", "--output", "json")
    assert (code, json.loads(out)) == (0, ["a", "b"])


def test_tags_newest_first_as_text_columns(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["old"])
    registry.add_image("app", tags=["new"])
    code, out, _ = run(registry, "tags", "app", "--orderby", "timedesc")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[0] for line in lines] == ["new", "old"]
    assert all(line.split()[1].startswith("sha256:") for line in lines)


def test_manifests_as_json_carry_digests_and_tags(registry: LocalRegistry) -> None:
    registry.add_image("app", tags=["v1", "latest"])
    code, out, _ = run(registry, "manifests", "app", "--output", "json")
    [manifest] = json.loads(out)
    assert code == 0
    assert manifest["digest"].startswith("sha256:")
    assert sorted(manifest["tags"]) == ["latest", "v1"]


@pytest.mark.parametrize(
    "argv",
    [
        ["repos", "--username", "u", "--anonymous"],
        ["repos", "--password-stdin"],
        ["purge"],
        ["purge", "--plan-in", "plan.json", "--filter", "app:.*"],
        ["tags"],
        ["repos", "--top", "0"],
    ],
)
def test_bad_usage_exits_2_before_any_request(registry: LocalRegistry, argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main([*argv, "--registry", registry.endpoint], stdout=out, stderr=err)
    except SystemExit as exit_:  # argparse's own errors
        code = int(exit_.code or 0)
    assert code == 2
    assert registry.requests == []


def test_username_without_a_password_is_bad_usage(
    registry: LocalRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONTAINERREGISTRY_PASSWORD", raising=False)
    code, _, err = run_without_credential(registry, "repos", "--username", "admin")
    assert code == 2
    assert "CONTAINERREGISTRY_PASSWORD" in err


def run_without_credential(registry: LocalRegistry, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--registry", registry.endpoint], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_missing_registry_is_bad_usage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTAINERREGISTRY_ENDPOINT", raising=False)
    err = io.StringIO()
    assert main(["repos", "--anonymous"], stdout=io.StringIO(), stderr=err) == 2
    assert "CONTAINERREGISTRY_ENDPOINT" in err.getvalue()


def test_unreachable_registry_exits_3_with_one_line() -> None:
    err = io.StringIO()
    code = main(["repos", "--anonymous", "--registry", "http://127.0.0.1:9", "--output", "text"],
                client_options={"retry_total": 0}, stdout=io.StringIO(), stderr=err)
    assert code == 3
    assert err.getvalue().count("\n") == 1
    assert "Traceback" not in err.getvalue()


def test_module_runs_as_a_command_with_the_registry_from_the_environment(
    registry: LocalRegistry,
) -> None:
    anonymous = LocalRegistry(anonymous_pull=True).start()
    try:
        anonymous.add_image("public/app", tags=["v1"])
        result = subprocess.run(
            [sys.executable, "-m", "azure_containerregistry", "tags", "public/app", "--anonymous"],
            capture_output=True, text=True, timeout=60,
            env={"CONTAINERREGISTRY_ENDPOINT": anonymous.endpoint, "PATH": "/usr/bin:/bin"},
        )
    finally:
        anonymous.stop()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "v1"


def test_username_signs_in_with_the_password_from_the_environment(
    registry: LocalRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.add_user("ci-token", "s3cret-Passw0rd", scopes=["repository:app:metadata_read"])
    registry.add_image("app", tags=["v1"])
    monkeypatch.setenv("CONTAINERREGISTRY_PASSWORD", "s3cret-Passw0rd")
    code, out, err = run_without_credential(registry, "tags", "app", "--username", "ci-token")
    assert (code, out.split()[0]) == (0, "v1"), err


def test_password_stdin_signs_in_and_a_refused_scope_exits_3_without_the_secret(
    registry: LocalRegistry,
) -> None:
    registry.add_user("ci-token", "s3cret-Passw0rd", scopes=["repository:app:metadata_read"])
    registry.add_image("app", tags=["v1"])
    registry.add_image("other", tags=["v1"])
    for repository, expected in (("app", 0), ("other", 3)):
        out, err = io.StringIO(), io.StringIO()
        code = main(["tags", repository, "--username", "ci-token", "--password-stdin",
                     "--registry", registry.endpoint],
                    stdin=io.StringIO("s3cret-Passw0rd\n"), stdout=out, stderr=err)
        assert code == expected, err.getvalue()
        assert "s3cret-Passw0rd" not in out.getvalue() + err.getvalue()
