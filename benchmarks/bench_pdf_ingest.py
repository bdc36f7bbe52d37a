"""Benchmark: pages per second for parsing and structuring a 100-page Council-style PDF.

Generates the PDF with reportlab (running header, footer "10512/24  JAI.1  NL", page numbers,
numbered points, raised footnote marks and footnotes on every page), then times
``ingest.parse_file`` (PDF text extraction, furniture and footnote separation, paragraph
joining, passages, metadata). No embedding. Run: ``.venv/bin/python benchmarks/bench_pdf_ingest.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SENTENCE = (
    "de bevoegde autoriteiten van de lidstaten te verzoeken de samenwerking met Europol en Eurojust te "
    "versterken, de rechtshandhavingsinstanties de nodige middelen te geven en tegen eind 2025 verslag "
    "uit te brengen over de vooruitgang bij de ontmanteling van criminele netwerken met een hoog risico"
)


def _builders():  # type: ignore[no-untyped-def]
    """The test suite's Council PDF writer, loaded from its file so the benchmark needs no test package."""
    spec = importlib.util.spec_from_file_location("council_documents", REPO / "tests/ingest/council_documents.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def council_like_pages(count: int):  # type: ignore[no-untyped-def]
    """``count`` dense pages: about 40 lines of numbered points and two footnotes per page."""
    builders = _builders()
    pages = []
    point = 0
    for page_number in range(1, count + 1):
        lines: list[str] = []
        notes = []
        if page_number % 5 == 1:
            lines.append("verzoekt de Raad de lidstaten:")
        while len(lines) < 38:
            point += 1
            mark = len(notes) + 1 + 2 * (page_number - 1)
            text = f"{point}. {SENTENCE}^{mark} en " + SENTENCE.replace("lidstaten", "rechtshandhavings-diensten") + ";"
            if len(notes) < 2:
                notes.append((str(mark), f"Doc. {8000 + mark}/2{page_number % 10} + ADD 1."))
            else:
                text = text.replace(f"^{mark}", "")
            lines.extend(textwrap.wrap(text, width=88, break_on_hyphens=False))
        pages.append(builders.PdfPage(lines[:40], notes))
    return builders, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from ingest import parse_file

    builders, pages = council_like_pages(args.pages)
    with tempfile.TemporaryDirectory() as work:
        path = builders.write_council_pdf(Path(work) / "council-100.pdf", pages)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            document = parse_file(path)
            timings.append(time.perf_counter() - start)
    best = min(timings)
    body = [p for p in document.passages if p.kind == "body" and p.paragraph]
    footnotes = [p for p in document.passages if p.kind == "footnote"]
    print(f"pages: {document.metadata.pages}  passages: {len(document.passages)}  numbered points: {len(body)}  "
          f"footnotes: {len(footnotes)}")
    print(f"parse+structure: best {best:.2f} s of {args.repeat} -> {document.metadata.pages / best:.1f} pages/second")


if __name__ == "__main__":
    main()
