"""Request validation against the official OpenSearch API specification (OpenAPI 3.1, multi-file YAML).

``ApiSpec(path)`` loads every file of the specification, routes a request (method and concrete path)
to its operation, and validates the body against the operation's request-body schema with
``jsonschema`` (draft 2020-12, OpenAPI 3.1's dialect), ``$ref``s resolved across the files by
``referencing``; query parameters are checked against the operation's declared ones.

``oneOf`` is read as ``anyOf``: the server takes a body that any branch describes, and some
branches overlap (a sort clause is both a field map and sort options). The specification leaves objects open (no ``additionalProperties: false``), while the server
rejects unknown keys ("unknown query [match_phrse]", "[match] query does not support [bost]").
So objects with declared ``properties`` are closed here with ``unevaluatedProperties: false``
(at the composing schema, not in ``allOf`` members, whose siblings declare the rest), and
properties added after the targeted version (``x-version-added``) are removed first: a misspelt
key, or one the target server does not know yet, fails with the JSON path of the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

TARGET_VERSION = (2, 19)
_COMBINATORS = ("allOf", "anyOf", "oneOf")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_OPEN_KEYS = ("additionalProperties", "unevaluatedProperties", "patternProperties")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: str
    body_schema: dict[str, Any] | None  # {"$ref": ...} into the namespace file, or None when it takes no body
    ndjson: bool
    query_parameters: frozenset[str]


@dataclass(frozen=True)
class Problem:
    """Why the specification rejects a request: where in the body (a JSON path) and what."""

    operation: str
    json_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.json_path}: {self.message}"


BULK_ACTION = "schemas/_core.bulk.yaml#/components/schemas/OperationContainer"


def _action_lines(lines: list[Any]) -> list[int]:
    """Positions of the action lines of an NDJSON bulk body (a delete has no document line after it)."""
    found, position = [], 0
    while position < len(lines):
        found.append(position)
        line = lines[position]
        position += 1 if isinstance(line, dict) and "delete" in line else 2
    return found


def _version(text: Any) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", str(text))[:2])


class ApiSpec:
    """The specification at ``root`` (the folder holding ``spec/``), ready to validate requests."""

    def __init__(self, root: Path, *, target: tuple[int, int] = TARGET_VERSION):
        self.root = Path(root)
        spec = self.root / "spec" if (self.root / "spec").is_dir() else self.root
        self.documents: dict[str, Any] = {}
        for path in sorted(spec.rglob("*.yaml")):
            with path.open(encoding="utf-8") as handle:
                self.documents[path.resolve().as_uri()] = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.target = target
        self._close_objects()
        self.registry = Registry().with_resources(
            (uri, Resource.from_contents(document, default_specification=DRAFT202012))
            for uri, document in self.documents.items()
        )
        global_uri = (spec / "_global_parameters.yaml").resolve().as_uri()
        globals_ = self.documents.get(global_uri, {}).get("components", {}).get("parameters", {})
        self.global_parameters = frozenset(p["name"] for p in globals_.values() if p.get("in") == "query")
        self.operations = list(self._operations(spec))
        self._validators: dict[str, Draft202012Validator] = {}

    # ---- routing --------------------------------------------------------------------------

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation serving this method and concrete path; literal segments beat placeholders."""
        path = "/" + path.strip("/") if path.strip("/") else "/"
        candidates = [
            op for op in self.operations
            if op.method == method.lower() and re.fullmatch(_template_regex(op.template), path)
        ]
        candidates.sort(key=lambda op: (-_literal_segments(op.template), op.operation_id))
        return candidates[0] if candidates else None

    def problems(self, method: str, path: str, params: dict[str, Any], body: Any) -> list[Problem]:
        """Everything the specification has against this request (empty: it is valid)."""
        operation = self.operation(method, path)
        if operation is None:
            return [Problem(f"{method} {path}", "$", "no operation of the specification serves this path")]
        found = [
            Problem(operation.operation_id, f"?{name}", f"unknown query parameter {name!r}")
            for name in params
            if name not in operation.query_parameters and name not in self.global_parameters
        ]
        if body is None:
            return found
        if operation.body_schema is None:
            return [*found, Problem(operation.operation_id, "$", "this operation takes no request body")]
        validator = self._validator(operation)
        for error in self._errors(validator, body):
            found.append(Problem(operation.operation_id, error.json_path, error.message))
        if operation.ndjson and isinstance(body, list):
            # The bulk schema lets any object through (the documents); its action lines have a schema of their own.
            actions = self._validator_for(BULK_ACTION)
            for index in _action_lines(body):
                for error in self._errors(actions, body[index]):
                    path = f"$[{index}]" + error.json_path[1:]
                    found.append(Problem(operation.operation_id, path, error.message))
        return found

    def _validator_for(self, reference: str) -> Draft202012Validator:
        """A validator for one component schema, closed like the request bodies' objects."""
        if reference not in self._validators:
            target_file, _, pointer = reference.partition("#")
            uri = next(u for u in self.documents if u.endswith("/" + target_file))
            schema = {"$ref": f"{uri}#{pointer}", "unevaluatedProperties": False}
            self._validators[reference] = Draft202012Validator(schema, registry=self.registry)
        return self._validators[reference]

    def _errors(self, validator: Draft202012Validator, body: Any) -> Iterator[Any]:
        errors = list(validator.iter_errors(body))
        if errors:
            yield _deepest(errors)

    def _validator(self, operation: Operation) -> Draft202012Validator:
        if operation.operation_id not in self._validators:
            self._validators[operation.operation_id] = Draft202012Validator(operation.body_schema, registry=self.registry)
        return self._validators[operation.operation_id]

    def _operations(self, spec: Path) -> Iterator[Operation]:
        for path in sorted((spec / "namespaces").glob("*.yaml")):
            uri = path.resolve().as_uri()
            document = self.documents[uri]
            components = document.get("components", {})
            for template, methods in (document.get("paths") or {}).items():
                for method, details in methods.items():
                    if method not in ("get", "put", "post", "delete", "head", "patch"):
                        continue
                    if _version(details.get("x-version-added", "1.0")) > self.target:
                        continue
                    body_ref = (details.get("requestBody") or {}).get("$ref")
                    schema, ndjson = None, False
                    if body_ref:
                        name = body_ref.rsplit("/", 1)[1]
                        content = components["requestBodies"][name]["content"]
                        media = "application/json" if "application/json" in content else next(iter(content))
                        ndjson = "ndjson" in media
                        pointer = f"/components/requestBodies/{_escape(name)}/content/{_escape(media)}/schema"
                        schema = {"$ref": f"{uri}#{quote(pointer, safe='/~')}"}
                    parameters = set()
                    for ref in details.get("parameters", []):
                        target = components["parameters"][ref["$ref"].rsplit("/", 1)[1]]
                        if target.get("in") == "query":
                            parameters.add(target["name"])
                    yield Operation(details["operationId"], method, template, schema, ndjson, frozenset(parameters))

    # ---- closing open objects -------------------------------------------------------------

    def _close_objects(self) -> None:
        """Close every object a request may hold at the place it is used: unevaluatedProperties false there.

        A component schema is never closed itself, since an ``allOf`` elsewhere may add properties to
        it; a ``$ref`` to it is closed where it stands for a whole object (a property's value, an item,
        a request body), and so is an inline object schema. Open places: ``allOf`` members, the
        branches of a combinator beside its owner's own properties, and whatever lies inside an open one.
        """
        for uri, document in self.documents.items():
            components = document.get("components") or {}
            for schema in (components.get("schemas") or {}).values():
                self._close(schema, uri, open_place=True, root=True)
            for body in (components.get("requestBodies") or {}).values():
                for content in (body.get("content") or {}).values():
                    self._close(content.get("schema"), uri, open_place=False)

    def _close(self, node: Any, uri: str, *, open_place: bool, root: bool = False) -> None:
        if not isinstance(node, dict):
            return
        node["__uri__"] = uri
        self._drop_later_properties(node)
        if "oneOf" in node:  # the server accepts what any branch describes; overlapping branches are no error
            branches = node.pop("oneOf")
            if "anyOf" in node:
                node.setdefault("allOf", []).append({"anyOf": branches})
            else:
                node["anyOf"] = branches
        for key in _SUBSCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                for child in node[key].values():
                    self._close(child, uri, open_place=False)
        for key in ("items", "additionalProperties", "contains", "propertyNames", "unevaluatedItems"):
            self._close(node.get(key), uri, open_place=False)
        for key in ("not", "if", "then", "else"):
            self._close(node.get(key), uri, open_place=True)
        for item in node.get("prefixItems", []) if isinstance(node.get("prefixItems"), list) else ():
            self._close(item, uri, open_place=False)
        for combinator in _COMBINATORS:
            branches_open = open_place or combinator == "allOf" or "properties" in node
            for member in node.get(combinator, []) if isinstance(node.get(combinator), list) else ():
                self._close(member, uri, open_place=branches_open)
        if open_place or root or any(key in node for key in _OPEN_KEYS):
            return
        if "$ref" in node:
            if self._object_like(self._resolve(node, node)):
                node["unevaluatedProperties"] = False
        elif node.get("type") in (None, "object") and ("properties" in node or "allOf" in node):
            node["unevaluatedProperties"] = False

    def _object_like(self, schema: dict[str, Any], depth: int = 0) -> bool:
        """A schema for objects with declared keys only (no open map, no free-form object)."""
        if depth > 20 or not schema or any(key in schema for key in _OPEN_KEYS):
            return False
        if "$ref" in schema:
            return self._object_like(self._resolve(schema, schema), depth + 1)
        if schema.get("type") not in (None, "object"):
            return False
        return "properties" in schema or any(key in schema for key in _COMBINATORS)

    def _drop_later_properties(self, schema: dict[str, Any]) -> None:
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name in [n for n, p in properties.items() if isinstance(p, dict)
                         and _version(p.get("x-version-added", "1.0")) > self.target]:
                del properties[name]

    def _resolve(self, node: Any, within: dict[str, Any]) -> dict[str, Any]:
        """A schema or the schema its ``$ref`` names (relative to the file ``within`` sits in)."""
        if not isinstance(node, dict) or "$ref" not in node:
            return node if isinstance(node, dict) else {}
        ref = node["$ref"]
        base = within.get("__uri__") or node.get("__uri__", "")
        target_file, _, pointer = ref.partition("#")
        uri = base if not target_file else (base.rsplit("/", 1)[0] + "/" + target_file)
        uri = _normalise(uri)
        current: Any = self.documents.get(uri, {})
        for part in [p for p in pointer.split("/") if p]:
            current = current.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(current, dict) else {}
        if isinstance(current, dict) and "$ref" in current:  # a chain of refs: resolve from the file it is in
            return self._resolve(current, {"__uri__": uri})
        return current if isinstance(current, dict) else {}


def _deepest(errors: list[Any]) -> Any:
    """The error that says most: deepest in the body, a closed object's unknown key over a failed branch.

    A key that fails inside makes its parent report it as unevaluated too; the inner error names the problem.
    """
    found: list[Any] = []
    pending = list(errors)
    while pending:
        error = pending.pop()
        found.append(error)
        pending.extend(error.context)
    concrete = [e for e in found if e.validator not in ("anyOf", "oneOf", "allOf")] or found
    return max(concrete, key=lambda e: (len(e.absolute_path), e.validator == "unevaluatedProperties",
                                        best_match([e]) is e))


def _normalise(uri: str) -> str:
    parts: list[str] = []
    head, _, path = uri.partition("://")
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return f"{head}://" + "/".join(parts)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _template_regex(template: str) -> str:
    return re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template.rstrip("/") or "/"))


def _literal_segments(template: str) -> int:
    return sum(1 for part in template.split("/") if part and not part.startswith("{"))
