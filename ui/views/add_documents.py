"""Add documents page: upload files and ingest them as ``conclusio ingest`` does, with a result per file.

The files are written under their own names to a temporary folder and handed to the same ingest the
CLI runs (``Conclusio.ingest``): parse, obligations, embeddings, store, evidence links, curation that
follows a revised document. One bar follows the stages (files read, passages embedded and written,
obligations linked) with counts and the time left; each file gets a bar and a result line (ingested, unchanged,
failed with the reason); a file that cannot be read fails alone and the page stays.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import streamlit as st

from application import SUPPORTED_SUFFIXES, FileResult
from conclusio.errors import ConclusioError
from conclusio.text import printable
from ui import components, resources

log = logging.getLogger(__name__)
LAST = "_last_upload"  # the result lines of the last upload, shown until the next one

settings = resources.load_settings()
app = resources.app(settings).as_user(resources.current_user(settings))  # the store may be empty here

st.title("Add documents")
if not app.user.may("administer"):
    st.info(f"Adding documents is for administrators; {app.user.name} is a {app.user.role}.")
    st.stop()
st.caption("PDF, Word (.docx), HTML, text and Markdown files. Each file is read, its obligations are found and "
           "linked to earlier ones, as `conclusio ingest` does. A file that is already stored unchanged is "
           "skipped; a new version of a stored file (the same file name) replaces it, and what analysts "
           "curated on it follows its points.")

with st.form("upload", clear_on_submit=True, border=True):
    uploads = st.file_uploader("Files", type=sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES),
                               accept_multiple_files=True, key="uploads")
    force = st.checkbox("Read unchanged files again", key="force",
                        help="For files stored by an older Conclusio, which reads them differently now.")
    submitted = st.form_submit_button("Add to the store", type="primary", icon=":material/upload:")


def result_line(result: FileResult) -> tuple[str, str]:
    """(kind, text) of one file's result: success, info or error, and what to say."""
    name = Path(result.path).name
    if result.status == "ingested":
        return "success", (f"ingested: {name} ({result.passages} passages, {result.obligations} obligations, "
                           f"{result.seconds:.1f} s)")
    if result.status == "unchanged":
        return "info", f"unchanged: {name} (already in the store)"
    return "error", f"failed: {name}: {result.reason}"


def show(lines: list[tuple[str, str, str | None]]) -> None:
    """Result lines; an ingested file links to its document."""
    for kind, text, source_file in lines:
        getattr(st, kind)(components.md_escape(text))
        if source_file:
            components.open_in_document(source_file, label=f"Open {source_file}")


if submitted and uploads:
    lines: list[tuple[str, str, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="conclusio-upload-") as folder:
        paths: list[Path] = []
        bars = {}
        for upload in uploads:
            name = Path(upload.name).name or "unnamed"  # the store keys documents by file name, never by path
            path = Path(folder) / name
            if path in paths:  # the same name twice: the pipeline says which one it kept
                path = Path(folder) / f"{len(paths)}" / name
                path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            paths.append(path)
            bars[str(path)] = st.progress(0, text=printable(f"{name}: waiting", one_line=True))

        def on_result(result: FileResult) -> None:
            kind, text = result_line(result)
            bar = bars.get(result.path) or bars.get(str(Path(result.path)))
            if bar is not None:
                bar.progress(100, text=printable(text, one_line=True))
            stored = Path(result.path).name if result.status != "failed" else None
            lines.append((kind, text, stored))

        for bar_path, bar in bars.items():
            bar.progress(5, text=printable(f"{Path(bar_path).name}: reading", one_line=True))
        overall = st.progress(0.0, text="starting…")
        stage_started: dict[str, float] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            started = stage_started.setdefault(stage, time.monotonic())
            fraction, text = components.ingest_progress(stage, done, total, time.monotonic() - started)
            overall.progress(fraction, text=text)

        try:
            with st.spinner(f"Adding {len(paths)} file(s): reading, finding obligations, embedding, linking…"):
                report = app.ingest(paths, force=force, on_result=on_result, on_progress=on_progress)
            overall.progress(1.0, text="done")
        except ConclusioError as error:  # the store is busy, damaged, or made with another model
            st.error(printable(str(error), one_line=True))
            st.stop()
        except Exception as error:  # noqa: BLE001 - the page must stay; the server log keeps the traceback
            log.exception("ingest from the upload page failed")
            st.error(printable(f"Ingest stopped: {type(error).__name__}: {error}", one_line=True))
            st.stop()
    for path in paths:  # a file the pipeline never reported on (none should be) still gets its line
        if not any(Path(r.path).name == path.name for r in report.results):
            lines.append(("error", f"failed: {path.name}: not processed", None))
    if report.evidence_error:
        lines.append(("warning", f"evidence links not refreshed: {report.evidence_error}", None))
    for change in report.curation:
        lines.append(("info", f"curation {change.outcome}: {change.obligation_id} ({change.reason})", None))
    for result in report.results:
        for warning in result.warnings:
            lines.append(("warning", f"{Path(result.path).name}: {warning}", None))
    st.session_state[LAST] = lines
    counts = report.counts
    st.toast(f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed")
elif submitted:
    st.warning("Choose one or more files first.")

if st.session_state.get(LAST):
    st.subheader("Result")
    show(st.session_state[LAST])
