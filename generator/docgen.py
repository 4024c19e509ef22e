"""Parts of docs/ generated from the code, so they cannot drift from it.

``python -m generator.docgen`` rewrites them; a test fails when they are out of date.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import click
from pydantic import BaseModel

from .schema import Agency, Client

DOCS = Path(__file__).resolve().parent.parent / "docs"


def cli_reference() -> str:
    """Every command's --help, as Markdown."""
    from .cli import cli

    parts = ["# Command line reference\n", "Generated from `smrm --help`; do not edit by hand.\n"]
    with click.Context(cli, info_name="smrm", terminal_width=80) as root:
        parts.append(f"## smrm\n\n```\n{cli.get_help(root)}\n```\n")
        for name in sorted(cli.list_commands(root)):
            command = cli.get_command(root, name)
            assert command is not None
            with click.Context(command, info_name=name, parent=root, terminal_width=80) as ctx:
                parts.append(f"## smrm {name}\n\n```\n{command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


def schema_reference() -> str:
    """A table per model of agency.yml and client.yml: key, type, default, meaning."""
    parts = []
    for title, model in (("agency.yml", Agency), ("client.yml", Client)):
        parts.append(f"#### `{title}`\n")
        parts.extend(_model_tables(model, ""))
    return "\n".join(parts)


def _model_tables(model: type[BaseModel], prefix: str) -> list[str]:
    rows = ["| key | type | required / default | meaning |", "|---|---|---|---|"]
    nested: list[tuple[str, type[BaseModel]]] = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        sub = _submodel(field.annotation)
        if sub is not None:
            is_list = get_origin(field.annotation) is list
            nested.append((f"{key}[]." if is_list else f"{key}.", sub))
        if field.is_required():
            default = "required"
        elif field.default_factory is not None:
            default = "empty"
        else:
            default = "—" if field.default is None else f"`{field.default}`"
        rows.append(
            f"| `{key}` | {_type_name(field.annotation)} | {default} | {field.description} |"
        )
    out = ["\n".join(rows) + "\n"]
    for sub_prefix, sub in nested:
        out.extend(_model_tables(sub, sub_prefix))
    return out


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not type(None)]
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict and get_origin(args[0]) is not Literal:  # names of anything
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if origin is dict:  # a text per language (``TextByLanguage``), also given as one text
        text, languages = _type_name(args[1]), _type_name(args[0])
        return f"{text}, or {text} per language ({languages})"
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in get_args(annotation))
    if origin is Annotated:
        return _type_name(args[0])
    if args and len(args) == 1:
        return _type_name(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    names = {str: "text", float: "number", int: "whole number", dt.date: "date (`YYYY-MM-DD`)"}
    return names.get(annotation, str(annotation))


def replace_between(text: str, marker: str, content: str) -> str:
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    pattern = re.compile(rf"(<!-- {marker}:start -->\n).*?(<!-- {marker}:end -->)", flags=re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"marker {marker} not found")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def refresh_examples(text: str) -> str:
    """Each ``<!-- example: path -->`` code block gets the current content of that file."""
    pattern = re.compile(r"(<!-- example: (\S+) -->\n```\w*\n)(.*?)(```\n)", flags=re.DOTALL)

    def fill(match: re.Match[str]) -> str:
        content = (DOCS.parent / match.group(2)).read_text(encoding="utf-8")
        return match.group(1) + content + match.group(4)

    return pattern.sub(fill, text)


def generated_docs() -> dict[Path, str]:
    """Each generated document with its expected content."""
    data_format = DOCS / "data-format.md"
    text = refresh_examples(data_format.read_text(encoding="utf-8"))
    return {
        DOCS / "cli.md": cli_reference(),
        data_format: replace_between(text, "schema", schema_reference()),
    }


def main() -> None:
    for path, content in generated_docs().items():
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
