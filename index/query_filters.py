"""The fields of a query (``index.query_language.FieldFilters``) as store filters.

Document fields (kind, doc, lang, date) become ``SearchFilters`` values, narrowing what the
caller already chose. Obligation fields (actor, deadline, status) ask which passages state a
matching obligation; the index answers actor and deadline from the store's obligations, while
status is tracking's (computed from evidence and curation as of a day), so the application
passes a resolver that knows it (``application.services.Conclusio.search``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from conclusio.records import Obligation
from index.query_language import FieldFilters
from index.store import ObligationQuery, SearchFilters, Store, StoredDocument

# Which passages state an obligation matching the fields (actor, deadline, status); a notice when it cannot say.
ObligationPassages = Callable[[FieldFilters], "frozenset[str] | str"]


def deadline_within(obligation: Obligation, fields: FieldFilters) -> bool:
    """True when the fields set no deadline range, or the obligation's deadline ends inside it."""
    if not (fields.deadline_from or fields.deadline_to):
        return True
    end = obligation.deadline.end if obligation.deadline else None
    if not end:
        return False
    return (not fields.deadline_from or end >= fields.deadline_from) and (not fields.deadline_to or end <= fields.deadline_to)


def matching_obligations(store: Store, fields: FieldFilters) -> list[Obligation]:
    """Obligations of any of the actors (any actor when none is given) whose deadline lies in the range."""
    found: dict[str, Obligation] = {}
    for actor in fields.actors or (None,):
        for obligation in store.obligations(ObligationQuery(actor=actor)):
            if deadline_within(obligation, fields):
                found.setdefault(obligation.id, obligation)
    return list(found.values())


def stated_in(store: Store) -> ObligationPassages:
    """The index's own resolver: actor and deadline from the stored obligations; status needs tracking."""

    def resolve(fields: FieldFilters) -> frozenset[str] | str:
        if fields.statuses:
            return "status: is computed by tracking; search through the application (conclusio search, the UI)"
        return frozenset(o.passage_id for o in matching_obligations(store, fields))

    return resolve


def _normal(number: str) -> str:
    return re.sub(r"[\s.]+", "", number).lower()


def documents_named(values: Iterable[str], documents: Sequence[StoredDocument]) -> tuple[set[str], list[str]]:
    """Source files whose document number or file name matches a ``doc:`` value, and the values matching none."""
    files: set[str] = set()
    unknown = []
    for value in values:
        wanted = _normal(value)
        named = {
            d.source_file
            for d in documents
            if (d.metadata.doc_number and _normal(d.metadata.doc_number) == wanted)
            or d.source_file == value
            or (len(value) >= 3 and d.source_file.startswith(value))
        }
        if not named:  # "15571/25" also finds "ST 15571/25 INIT"
            named = {d.source_file for d in documents if d.metadata.doc_number and wanted in _normal(d.metadata.doc_number)}
        files |= named
        if not named:
            unknown.append(value)
    return files, unknown


def _narrow(chosen: tuple[str, ...], asked: Iterable[str]) -> tuple[str, ...] | None:
    """The values both allow (None: none at all); either side empty means no restriction."""
    asked = tuple(dict.fromkeys(asked))
    if not asked:
        return chosen
    if not chosen:
        return asked
    both = tuple(v for v in chosen if v in set(asked))
    return both or None


def with_fields(
    filters: SearchFilters,
    fields: FieldFilters,
    documents: Sequence[StoredDocument],
    obligation_passages: ObligationPassages | None,
) -> tuple[SearchFilters, list[str]]:
    """The caller's filters narrowed by the query's fields, and notices for fields that matched nothing."""
    notices: list[str] = []
    nothing = False
    if fields.documents:
        files, unknown = documents_named(fields.documents, documents)
        notices.extend(f"doc:{value} matches no stored document" for value in unknown)
        narrowed = _narrow(filters.source_files, sorted(files))
        nothing |= narrowed is None or not files
        filters = replace(filters, source_files=narrowed or ())
    known_kinds = {d.metadata.kind for d in documents}
    notices.extend(f"kind:{k} matches no stored document (kinds: {', '.join(sorted(filter(None, known_kinds)))})"
                   for k in fields.kinds if k not in known_kinds)
    for name, asked in (("kinds", fields.kinds), ("languages", fields.languages)):
        narrowed = _narrow(getattr(filters, name), asked)
        nothing |= narrowed is None
        filters = replace(filters, **{name: narrowed or ()})
    if fields.date_from and (filters.date_from is None or fields.date_from > filters.date_from):
        filters = replace(filters, date_from=fields.date_from)
    if fields.date_to and (filters.date_to is None or fields.date_to < filters.date_to):
        filters = replace(filters, date_to=fields.date_to)
    if fields.about_obligations:
        resolve = obligation_passages
        answer = resolve(fields) if resolve is not None else "actor:, deadline: and status: need the store's obligations"
        if isinstance(answer, str):  # unanswerable: better no hits than hits that ignore the field
            notices.append(answer)
            nothing = True
        else:
            allowed = answer if filters.passage_ids is None else answer & set(filters.passage_ids)
            filters = replace(filters, passage_ids=tuple(sorted(allowed)))
    if nothing:
        filters = replace(filters, passage_ids=())
    return filters, notices


def restricts(filters: SearchFilters) -> bool:
    """True when the filters hold more than the default passage kinds."""
    return replace(filters, passage_kinds=SearchFilters().passage_kinds) != SearchFilters()
