"""README's runnable examples run: the local-registry example executes as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks_under(heading: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_local_registry_example_runs() -> None:
    [block] = _python_blocks_under("## The local registry")
    exec(compile(block, str(README), "exec"), {})


def test_readme_opens_with_the_two_setup_commands_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.S)
    assert first_block is not None
    commands = first_block.group(1).strip().splitlines()
    assert len(commands) == 2
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = commands[1].split("&&", 1)[1].strip()
    assert test_command.replace("python3", "python") in ci


def test_cleanup_example_runs() -> None:
    [block] = _python_blocks_under("## Cleaning up a registry in CI")
    exec(compile(block, str(README), "exec"), {})
