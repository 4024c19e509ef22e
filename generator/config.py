"""agency.yml and client.yml: YAML read with key lines, checked against the typed schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .load import LoadError, YamlDoc, load_yaml
from .problems import Problem, describe, did_you_mean, display_path
from .schema import Agency, Client

M = TypeVar("M", bound=BaseModel)

DEFAULT_AGENCY = Agency(name="", locale="ru")


def load_model(path: Path, model: type[M]) -> tuple[M | None, list[Problem], YamlDoc | None]:
    """The model read from a YAML file, or None and every problem found in it."""
    shown = display_path(path)
    try:
        doc = load_yaml(path)
    except LoadError as exc:
        return None, [Problem(shown, exc.line, "", exc.message, exc.hint)], None
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        message = f"expected a mapping of keys (name: ..., brand: ...), the file is {kind}"
        return None, [Problem(shown, doc.line_of(()), "", message)], doc
    try:
        return model.model_validate(doc.data), [], doc
    except ValidationError as exc:
        problems = [_problem(shown, doc, model, error) for error in exc.errors()]
        return None, sorted(set(problems), key=lambda p: (p.line or 0, p.column)), doc


def load_agency(data_dir: Path) -> tuple[Agency, list[Problem]]:
    """data/agency.yml; when there is none, an unnamed agency with Russian as the default."""
    path = data_dir / "agency.yml"
    if not path.exists():
        return DEFAULT_AGENCY, []
    agency, problems, _ = load_model(path, Agency)
    return agency or DEFAULT_AGENCY, problems


def _problem(shown: str, doc: YamlDoc, model: type[BaseModel], error: Any) -> Problem:
    loc = tuple(error["loc"])
    if loc[-1:] == ("[key]",):  # pydantic's mark of a mapping's key: the key itself is at fault
        loc = loc[:-1]
    kind = error["type"]
    column = _dotted(loc)
    line = doc.line_of(loc)
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        return Problem(shown, line, column, "unknown key", did_you_mean(str(loc[-1]), allowed))
    if kind == "missing":
        return Problem(shown, line, column, "required key is missing")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return Problem(shown, line, column, f"expected {expected}, got {value!r}")
    if kind.startswith(("date_", "datetime_")):
        return Problem(shown, line, column, f"expected a date as YYYY-MM-DD, got {describe(value)}")
    if kind in {
        "string_type",
        "float_type",
        "float_parsing",
        "list_type",
        "model_type",
        "dict_type",
        "model_attributes_type",
    }:
        wanted = {
            "string_type": "text",
            "float_type": "a number",
            "float_parsing": "a number",
            "list_type": "a list",
        }.get(kind, "a mapping of keys")
        return Problem(shown, line, column, f"expected {wanted}, got {describe(value)}")
    if kind in {"too_short", "string_too_short"}:
        what = "a value" if kind == "string_too_short" else "at least one entry"
        return Problem(shown, line, column, f"is empty, {what} is required")
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return Problem(shown, line, column, message)


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found by walking ``loc`` (list indexes are skipped)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _model_of(field.annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def client_locale(client: Client, agency: Agency) -> str:
    return client.locale or agency.locale


__all__ = ["Agency", "Client", "client_locale", "load_agency", "load_model"]
