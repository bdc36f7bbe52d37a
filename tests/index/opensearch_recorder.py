"""A stand-in for an OpenSearch server, behind opensearch-py's own client, that records every request.

No server can run here; this one keeps indices, aliases, mappings, documents and search pipelines
in memory and answers each request with a minimal valid response, so that the real store code
(``index.opensearch_store``, ``tracking.opensearch_curation``) runs its real paths and every
request it sends (method, path, query parameters, body) is recorded as sent. It does not evaluate
queries: a search returns the documents of the index it names, which is all the store needs to go on.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from opensearchpy import OpenSearch
from opensearchpy.connection import Connection


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, Any]
    body: Any  # parsed JSON, a list of NDJSON lines, or None


@dataclass
class FakeServer:
    """Indices (name -> {"mappings", "docs"}), aliases, search pipelines and the requests received."""

    indices: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    pipelines: dict[str, Any] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    # ---- plumbing -----------------------------------------------------------------------------

    def client(self) -> OpenSearch:
        """An opensearch-py client whose only connection is this server."""
        server = self

        class Recorded(Connection):
            def perform_request(self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None):
                status, data = server.handle(method, url, dict(params or {}), body)
                raw = json.dumps(data)
                if not 200 <= status < 300 and status not in ignore:
                    self._raise_error(status, raw, "application/json")
                return status, {"content-type": "application/json"}, raw

        return OpenSearch(hosts=[{"host": "recorded.invalid", "port": 9200}], connection_class=Recorded, max_retries=0)

    def handle(self, method: str, url: str, params: dict[str, Any], raw: Any) -> tuple[int, Any]:
        path = unquote(url.split("?", 1)[0])
        body = _parse(raw)
        if path.endswith("/_bulk") and isinstance(body, dict):  # one NDJSON line parses as one object
            body = [body]
        self.requests.append(Request(method, path, params, body))
        parts = [p for p in path.split("/") if p]
        return self._route(method, parts, params, body)

    # ---- the minimal server ---------------------------------------------------------------

    def _route(self, method: str, parts: list[str], params: dict[str, Any], body: Any) -> tuple[int, Any]:
        if not parts:
            return 200, {"name": "recorded", "cluster_name": "recorded", "cluster_uuid": "x",
                         "version": {"distribution": "opensearch", "number": "2.19.2"}, "tagline": "The OpenSearch Project"}
        head = parts[0]
        if head == "_bulk" or (len(parts) == 2 and parts[1] == "_bulk"):
            return 200, self._bulk(body, parts[0] if len(parts) == 2 else None)
        if head == "_aliases":
            for action in body["actions"]:
                (kind, spec), = action.items()
                target = self.aliases.setdefault(spec["alias"], set())
                (target.add if kind == "add" else target.discard)(spec["index"])
            return 200, {"acknowledged": True}
        if head == "_alias":
            names = self.aliases.get(parts[1], set())
            if not names:
                return 404, {"error": "alias missing", "status": 404}
            return 200, {index: {"aliases": {parts[1]: {}}} for index in names}
        if head == "_search" and len(parts) >= 2 and parts[1] == "pipeline":
            self.pipelines[parts[2]] = body
            return 200, {"acknowledged": True}
        if head == "_search" and len(parts) >= 2 and parts[1] == "scroll":
            if method == "DELETE":
                return 200, {"succeeded": True, "num_freed": 1}
            return 200, {"_scroll_id": "scroll", "took": 1, "timed_out": False, "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
        names = parts[0]
        if len(parts) == 1:
            if method == "HEAD":
                return (200, {}) if self._targets(names) else (404, {})
            if method == "PUT":
                if names in self.indices:
                    return 400, {"error": {"type": "resource_already_exists_exception"}, "status": 400}
                self.indices[names] = {"body": body or {}, "mappings": dict((body or {}).get("mappings", {})), "docs": {}}
                return 200, {"acknowledged": True, "shards_acknowledged": True, "index": names}
            if method == "DELETE":
                for name in names.split(","):
                    self.indices.pop(name, None)
                    for members in self.aliases.values():
                        members.discard(name)
                return 200, {"acknowledged": True}
        action = parts[1]
        if action == "_mapping":
            for index in self._targets(names):
                self.indices[index]["mappings"].setdefault("properties", {}).update(body.get("properties", {}))
            return 200, {"acknowledged": True}
        if action == "_doc":
            return self._document(method, names, parts[2] if len(parts) > 2 else None, body,
                                  create=params.get("op_type") in ("create", b"create"))
        if action in ("_search", "_count", "_delete_by_query"):
            docs = [(index, doc_id, source) for index in self._targets(names)
                    for doc_id, source in self.indices[index]["docs"].items()]
            if action == "_count":
                return 200, {"count": len(docs), "_shards": _shards()}
            if action == "_delete_by_query":
                return 200, {"took": 1, "timed_out": False, "total": 0, "deleted": 0, "batches": 0, "noops": 0,
                             "version_conflicts": 0, "retries": {"bulk": 0, "search": 0}, "failures": []}
            return 200, self._search(docs, params, body or {})
        return 404, {"error": f"no route for {method} /{'/'.join(parts)}", "status": 404}

    def _targets(self, names: str) -> list[str]:
        found = []
        for name in names.split(","):
            if name in self.indices:
                found.append(name)
            found.extend(sorted(self.aliases.get(name, ())))
        return [n for n in dict.fromkeys(found) if n in self.indices]

    def _document(self, method: str, index: str, doc_id: str | None, body: Any, *, create: bool = False
                  ) -> tuple[int, Any]:
        targets = self._targets(index)
        physical = targets[0] if targets else index
        if create and doc_id in self.indices.get(physical, {}).get("docs", {}):  # op_type=create: never overwrite
            reason = f"[{doc_id}]: version conflict, document already exists"
            return 409, {"error": {"type": "version_conflict_engine_exception", "reason": reason}, "status": 409}
        if method in ("PUT", "POST"):
            if physical not in self.indices:  # OpenSearch creates a missing index on the first write
                self.indices[physical] = {"body": {}, "mappings": {}, "docs": {}}
            unmapped = _unmapped(self.indices[physical]["mappings"], body)
            if unmapped:  # as a strict mapping makes the server refuse the document
                reason = f"mapping set to strict, dynamic introduction of [{unmapped}] within [_doc] is not allowed"
                return 400, {"error": {"type": "strict_dynamic_mapping_exception", "reason": reason}, "status": 400}
            doc_id = doc_id or uuid.uuid4().hex
            self.indices[physical]["docs"][doc_id] = body
            return 201, {"_index": physical, "_id": doc_id, "_version": 1, "result": "created", "_shards": _shards(),
                         "_seq_no": 0, "_primary_term": 1}
        source = self.indices.get(physical, {}).get("docs", {}).get(doc_id)
        if method == "DELETE":
            if source is None:
                return 404, {"_index": physical, "_id": doc_id, "result": "not_found"}
            del self.indices[physical]["docs"][doc_id]
            return 200, {"_index": physical, "_id": doc_id, "_version": 2, "result": "deleted", "_shards": _shards()}
        if source is None:
            return 404, {"_index": physical, "_id": doc_id, "found": False}
        return 200, {"_index": physical, "_id": doc_id, "_version": 1, "found": True, "_source": source}

    def _bulk(self, lines: list[Any], default_index: str | None) -> dict[str, Any]:
        items = []
        position = 0
        while position < len(lines):
            (kind, meta), = lines[position].items()
            position += 1
            index = meta.get("_index", default_index)
            if kind == "update":  # a partial document merged into the stored one
                targets = self._targets(index)
                stored = self.indices[targets[0]]["docs"].get(meta.get("_id"), {}) if targets else {}
                status, answer = self._document("PUT", index, meta.get("_id"), {**stored, **lines[position]["doc"]})
                position += 1
            elif kind in ("index", "create"):
                status, answer = self._document("PUT", index, meta.get("_id"), lines[position], create=kind == "create")
                position += 1
            else:
                status, answer = self._document("DELETE", index, meta.get("_id"), None)
            if "error" in answer:
                answer = {"_index": index, "_id": meta.get("_id"), "error": answer["error"]}
            items.append({kind: {**answer, "status": status}})
        return {"took": 1, "errors": any(not 200 <= item[k]["status"] < 300 for item in items for k in item),
                "items": items}

    def _search(self, docs: list[tuple[str, str, Any]], params: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        size = int(body.get("size", params.get("size", 10)))
        hits = [{"_index": index, "_id": doc_id, "_score": None if "sort" in body else 1.0, "_source": source}
                for index, doc_id, source in docs[:size]]
        answer: dict[str, Any] = {
            "took": 1, "timed_out": False, "_shards": _shards(),
            "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": 1.0, "hits": hits},
        }
        aggregations = body.get("aggs") or body.get("aggregations")
        if aggregations:
            answer["aggregations"] = {name: {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []}
                                      for name in aggregations}
        if "scroll" in params:
            answer["_scroll_id"] = "scroll"
        return answer


def _unmapped(mappings: dict[str, Any], source: Any, prefix: str = "") -> str | None:
    """The first field of a document that a strict mapping does not declare (None: all declared)."""
    if mappings.get("dynamic") not in ("strict", "false", False) or not isinstance(source, dict):
        return None
    properties = mappings.get("properties", {})
    for key, value in source.items():
        if key not in properties:
            return prefix + key
        spec = properties[key]
        if spec.get("enabled") is False or "properties" not in spec:
            continue
        deeper = _unmapped({"dynamic": mappings["dynamic"], **spec}, value, f"{prefix}{key}.")
        if deeper:
            return deeper
    return None


def _shards() -> dict[str, int]:
    return {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def _parse(raw: Any) -> Any:
    if raw is None:
        return None
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:  # NDJSON (bulk)
        return [json.loads(line) for line in text.splitlines() if line.strip()]
