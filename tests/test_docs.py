"""The documentation says what the code does: generated parts are current, examples are real."""

from __future__ import annotations

import re

import pytest

from generator.docgen import DOCS, generated_docs
from tests.conftest import HERE
from tests.helpers import metrics_of

REPO = HERE.parent


@pytest.mark.parametrize("path", list(generated_docs()), ids=lambda p: p.name)
def test_generated_docs_are_current(path) -> None:
    """Run `python -m generator.docgen` after changing the CLI or the schema."""
    assert path.read_text(encoding="utf-8") == generated_docs()[path]


def test_examples_in_the_data_format_are_the_test_files() -> None:
    text = (DOCS / "data-format.md").read_text(encoding="utf-8")
    examples = re.findall(r"<!-- example: (\S+) -->\n```\w*\n(.*?)```\n", text, flags=re.DOTALL)
    assert len(examples) == 5
    for name, content in examples:
        assert (REPO / name).read_text(encoding="utf-8") == content, name


def test_every_metrics_key_is_documented(data_dir) -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    month = next(iter(metrics_of(data_dir).values()))
    documented = set(re.findall(r"`([a-z_]+)`", text))
    assert set(month) - documented == set()
    assert set(month["engagement"]) - documented == set()


def test_readme_shows_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make portal" in readme and "make test" in readme
    for link in re.findall(r"\]\((docs/[^)]+)\)", readme):
        assert (REPO / link).exists(), link
