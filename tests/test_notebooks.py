"""The notebooks in notebooks/ run top to bottom on a small build, and are committed without outputs.

The build is the session's full-pipeline build (``en_build`` in conftest.py): real terms, the real
model, every stage from ingest to the cluster tree.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["explore_hierarchy.ipynb", "inspect_clusters.ipynb", "quality_report.ipynb"]


@pytest.fixture(scope="module")
def notebook_db(en_build: Path) -> Path:
    return en_build


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert dirty == [], f"{name}: cells {dirty} have outputs; clear them (jupyter nbconvert --clear-output)"


@pytest.mark.parametrize("name", NAMES)
def test_runs_top_to_bottom(name: str, notebook_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEXGRAPH_DB", str(notebook_db))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
              if out.output_type == "error"]
    assert errors == []
    figures = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
               if "application/vnd.plotly.v1+json" in out.get("data", {})]
    assert figures, f"{name} drew no plotly figure"
