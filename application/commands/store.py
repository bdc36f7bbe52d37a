"""``conclusio status``, ``documents`` and ``show``: what the store holds."""

from __future__ import annotations

import argparse

from application.commands._common import add_format, open_app, print_json
from conclusio.records import to_dict

DOCUMENT_FIELDS = ("source_file", "doc_number", "title", "date", "kind", "classification", "codes", "previous_docs",
                   "references", "language", "pages", "passages")
PASSAGE_FIELDS = ("passage_id", "kind", "section_path", "paragraph", "addressees", "page", "text")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    status = subparsers.add_parser(
        "status",
        parents=[common],
        help="store location, counts and the embedding model in use",
        description="Where the store is, how many documents, passages and obligations it holds, which embedding "
        "model made its vectors and which model is in use now, with the languages it was trained on.",
    )
    add_format(status, "text", "json")
    status.set_defaults(func=run_status)

    documents = subparsers.add_parser(
        "documents",
        parents=[common],
        help="list the stored documents with their metadata",
        description="Every stored document with the metadata found in it, oldest document date first.",
    )
    add_format(documents, "text", "json")
    documents.set_defaults(func=run_documents)

    show = subparsers.add_parser(
        "show",
        parents=[common],
        help="print a document's passages in order",
        description="The passages of one document in order, with kind, section, paragraph label, addressees "
        "and page.",
    )
    show.add_argument("source_file", metavar="SOURCE_FILE",
                      help="the file name as listed by 'conclusio documents', or the document's number")
    add_format(show, "text", "json")
    show.set_defaults(func=run_show)

    whoami = subparsers.add_parser(
        "whoami",
        parents=[common],
        help="who the commands act as: name, role and clearance",
        description="The user the commands act as (--user, $CONCLUSIO_USER, else your login name) with the role "
        "and clearance the users file ($CONCLUSIO_USERS) gives them; without a users file, the one local user, "
        "an admin with full clearance. An unknown user is refused (exit 5).",
    )
    add_format(whoami, "text", "json")
    whoami.set_defaults(func=run_whoami)


def run_status(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        # Which model would be used is decided from files; loading its weights would only add seconds and memory.
        status = app.status()
    settings, stats, model, model_error = status.settings, status.stats, status.model, status.model_error
    report = {
        "store": stats.location,
        "backend": settings.backend,
        "documents": stats.documents,
        "passages": stats.passages,
        "obligations": stats.obligations,
        "stored_model": stats.embedding_model,
        "stored_dim": stats.embedding_dim,
        "model": model.name if model else None,
        "dim": model.dim if model else None,
        "languages": list(model.languages) if model else None,
        "model_requested": settings.embed_model,
        "model_path": str(model.path) if model else None,
        "model_source": model.source if model else None,
        "english_pivot": model.english_pivot if model else None,
        "model_error": model_error,
        "vectors_match": status.vectors_match,
    }
    if args.format == "json":
        print_json(report)
    else:
        print_status(report, settings)
    return 0 if model else 1


def print_status(report: dict, settings) -> None:
    """The status report as aligned text lines."""
    print(f"store:        {report['store']} ({settings.backend})")
    print(f"documents:    {report['documents']}")
    print(f"passages:     {report['passages']}")
    print(f"obligations:  {report['obligations']}")
    print(f"vectors made: {report['stored_model'] or '-'} (dim {report['stored_dim'] or '-'})")
    if report["model_error"]:
        print(f"model in use: none: {report['model_error']}")
        return
    pivot = ", Dutch + English pivot" if report["english_pivot"] else ""
    print(f"model in use: {report['model']} (dim {report['dim'] or '?'}{pivot})")
    print(f"languages:    {', '.join(report['languages']) or 'not declared by the model'}")
    print(f"model files:  {report['model_path']} ({report['model_source']})")
    if report["vectors_match"]:
        print("vectors:      made with the model in use")
    elif report["vectors_match"] is False:
        print(f"warning: the stored vectors were made with another model; run: conclusio reembed "
              f"--store {settings.store_dir}")


def document_json(stored) -> dict:
    """The metadata fields of a stored document."""
    meta = to_dict(stored.metadata)
    meta.update(source_file=stored.source_file, passages=stored.passages)
    return {name: meta.get(name) for name in DOCUMENT_FIELDS}


def run_documents(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        documents = [document_json(d) for d in app.documents()]
    if args.format == "json":
        print_json(documents)
        return 0
    for d in documents:
        number = d["doc_number"] or "-"
        labels = ", ".join(d["classification"] + d["codes"])
        print(f"{d['source_file']}  {number}  {d['date'] or '-'}  {d['kind'] or '-'}  "
              f"{d['pages'] or '?'} pages, {d['passages']} passages{'  [' + labels + ']' if labels else ''}")
        if d["title"]:
            print(f"    {d['title']}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        document = app.document(args.source_file)
    passages = [{name: to_dict(p)[name] for name in PASSAGE_FIELDS} for p in document.passages]
    if args.format == "json":
        print_json(passages)
        return 0
    for p in passages:
        where = " > ".join(p["section_path"])
        label = f"  {p['paragraph']}" if p["paragraph"] else ""
        print(f"[{p['passage_id']}] {p['kind']}{label}  p.{p['page'] or '?'}  {where}")
        if p["addressees"]:
            print(f"    ({p['addressees']})")
        print(f"    {' '.join(p['text'].split())}")
    return 0


def run_whoami(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        user = app.user
    if args.format == "json":
        print_json({"name": user.name, "role": user.role, "clearance": user.clearance.name, "source": user.source})
    else:
        print(user.description)
    return 0
