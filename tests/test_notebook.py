"""``samples/explore_registry.ipynb`` runs end to end against a LocalRegistry (no network).

Executed with nbclient on the ``python3`` kernel of this interpreter's ipykernel, with
``CONTAINERREGISTRY_ENDPOINT`` unset so the notebook starts and seeds its own local registry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List

import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "samples" / "explore_registry.ipynb"


def outputs(cell: Dict[str, Any]) -> List[Dict[str, Any]]:
    return list(cell.get("outputs", []))


def text_of(cell: Dict[str, Any]) -> str:
    parts = []
    for output in outputs(cell):
        parts.append(str(output.get("text", "")))
        parts.append(str(output.get("data", {}).get("text/plain", "")))
    return "".join(parts)


@pytest.fixture(scope="module")
def executed() -> Any:
    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    previous = os.environ.pop("CONTAINERREGISTRY_ENDPOINT", None)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()
    finally:
        os.environ.pop("MPLBACKEND", None)
        if previous is not None:
            os.environ["CONTAINERREGISTRY_ENDPOINT"] = previous
    return notebook


def code_cells(notebook: Any, containing: str) -> List[Dict[str, Any]]:
    return [c for c in notebook.cells if c.cell_type == "code" and containing in c.source]


def test_the_sample_notebook_runs_without_errors(executed: Any) -> None:
    errors = [o for c in executed.cells if c.cell_type == "code" for o in outputs(c)
              if o.get("output_type") == "error"]
    assert errors == []
    assert all(c.get("execution_count") for c in executed.cells if c.cell_type == "code")


def test_the_inventory_finds_every_seeded_repository(executed: Any) -> None:
    (cell,) = code_cells(executed, "found = inventory(")
    assert "Inventory(repositories=4, manifests=23, tags=17, errors=0, layers=True)" in \
        text_of(cell)


def test_storage_shows_shared_bytes_and_a_bar_chart(executed: Any) -> None:
    (table,) = code_cells(executed, "storage = found.storage()")
    assert "shared_bytes" in text_of(table) and "shop/frontend" in text_of(table)
    for marker in ("plot.barh", "plot.hist"):
        (chart,) = code_cells(executed, marker)
        assert any("image/png" in o.get("data", {}) for o in outputs(chart)), marker


def test_the_untagged_bytes_are_reported(executed: Any) -> None:
    (cell,) = code_cells(executed, "storage_totals()")
    assert "freed by deleting untagged manifests" in text_of(cell)
    assert "0.00 MB freed" not in text_of(cell)
