"""The layout holds: stages import only what lies below them, and a process reads Dutch with one spaCy pipeline.

The layers (docs/architecture.md), each allowed to import the ones listed:

    conclusio (the ground)  -> nothing of ours
    ingest                  -> conclusio
    nlp                     -> conclusio, ingest
    index                   -> conclusio
    tracking                -> conclusio, ingest, nlp, index
    evaluation              -> conclusio, ingest, nlp, index, tracking
    application             -> conclusio, ingest, nlp, index, tracking, evaluation
    ui                      -> conclusio, application

Every import counts, also one inside a function or under ``TYPE_CHECKING``: a hidden edge is still an edge.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conclusio.settings import REPO_ROOT

ALLOWED: dict[str, frozenset[str]] = {
    "conclusio": frozenset(),
    "ingest": frozenset({"conclusio"}),
    "nlp": frozenset({"conclusio", "ingest"}),
    "index": frozenset({"conclusio"}),
    "tracking": frozenset({"conclusio", "ingest", "nlp", "index"}),
    "evaluation": frozenset({"conclusio", "ingest", "nlp", "index", "tracking"}),
    "application": frozenset({"conclusio", "ingest", "nlp", "index", "tracking", "evaluation"}),
    "ui": frozenset({"conclusio", "application"}),
}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) for every absolute import in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def layer_violations(root: Path) -> list[str]:
    """Every import under ``root`` that runs up or sideways between our packages, as 'file:line imports pkg'."""
    problems = []
    for package, allowed in ALLOWED.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, imported in imported_packages(path.read_text(encoding="utf-8")):
                if imported in ALLOWED and imported != package and imported not in allowed:
                    problems.append(f"{path.relative_to(root)}:{line} imports {imported}")
    return problems


def test_every_stage_imports_only_what_lies_below_it() -> None:
    assert layer_violations(REPO_ROOT) == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    for package in ALLOWED:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "index" / "store.py").write_text("def f():\n    from tracking.status import track\n")
    (tmp_path / "nlp" / "reader.py").write_text("import ui.resources\n")
    (tmp_path / "ui" / "page.py").write_text("from index.search import Searcher\nfrom application import Conclusio\n")
    assert layer_violations(tmp_path) == [
        "nlp/reader.py:1 imports ui",
        "index/store.py:2 imports tracking",
        "ui/page.py:1 imports index",
    ]


def test_the_ground_imports_no_stage_when_imported() -> None:
    probe = "import sys, conclusio.records, conclusio.settings, conclusio.errors, conclusio.calendar_words; " \
            "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))" % sorted(set(ALLOWED) - {"conclusio"})
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert out.stdout.strip() == "[]"


ONE_PIPELINE_PROBE = textwrap.dedent(
    """
    import json, shutil, sys, tempfile
    from datetime import date
    from pathlib import Path

    import spacy.language

    made = []
    original = spacy.language.Language.__init__

    def counting(self, *args, **kwargs):
        made.append(type(self).__name__)
        original(self, *args, **kwargs)

    spacy.language.Language.__init__ = counting

    from application import Conclusio, ObligationQuery
    from conclusio.settings import Settings
    from evaluation.deadlines import evaluate_deadline_cases

    corpus, work = Path(sys.argv[1]), Path(tempfile.mkdtemp())
    for name in sys.argv[2:]:
        shutil.copy(next(corpus.glob(name + "_*")), work)
    with Conclusio(Settings.from_env(store_dir=work / "store")) as app:
        report = app.ingest([work])  # parse, extract, actors, embed, store, evidence with progress readings
        answer = app.search("verslag van Europol", k=5, as_of=date(2025, 6, 1))
        rows = app.obligations(ObligationQuery(), as_of=date(2025, 11, 21))
        evaluate_deadline_cases(app.pipeline)
        print(json.dumps({"pipelines": made, "ingested": report.counts["ingested"],
                          "evidence": report.evidence_refreshed, "hits": len(answer.hits), "obligations": len(rows)}))
    """
)


def test_a_process_builds_one_spacy_pipeline(corpus_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", ONE_PIPELINE_PROBE, str(corpus_dir), "000", "002"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["ingested"] == 2 and seen["evidence"] and seen["hits"] and seen["obligations"]
    assert len(seen["pipelines"]) == 1, seen["pipelines"]
