"""The walkthrough notebook is committed without outputs and runs top to bottom.

Its run time (under 2 minutes on two cores) is measured by bench/bench_notebook.py,
not asserted here.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_committed_without_outputs(notebook):
    nbformat.validate(notebook)
    dirty = [number for number, cell in enumerate(notebook.cells, start=1)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{NOTEBOOK}: cells {dirty} have outputs; clear them before committing"


def test_runs_top_to_bottom(notebook, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_WALKTHROUGH_OUT", str(tmp_path / "kg-out"))  # the kernel inherits it
    # nbclient raises CellExecutionError naming the cell and its traceback when one fails.
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    # the real results reached the reader: tables, the chart, the pyvis page, the exports
    assert "The 15 most central concepts" in html
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert "vis-network" in html or "vis.Network" in html
    assert "quads</td>" in html and "nodes," in html
    assert {"graph.trig", "graph.nq", "comentions.graphml"} <= {p.name for p in (tmp_path / "kg-out").iterdir()}
