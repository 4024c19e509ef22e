"""The benchmark's data: the shapes it writes the demo's mentions in read as the same mentions."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from generator.demo import generate
from generator.pipeline import check

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mentions(data: Path) -> pd.DataFrame:
    result = check(data)
    assert not [p for p in result.all_problems if p.is_error]
    mentions = result.clients[0].mentions
    assert mentions is not None
    return mentions


@pytest.mark.parametrize("shape", ["quoted", "unix"])
def test_each_shape_of_an_export_reads_as_the_same_mentions(
    bench: ModuleType, tmp_path: Path, shape: str
) -> None:
    plain = tmp_path / "plain"
    generate(plain, n_clients=1, months=2, mentions=400, end="2026-10", seed=3)
    shaped = tmp_path / shape
    shutil.copytree(plain, shaped)
    path = shaped / "dubrava" / "mentions.csv"
    bench._reshape(path, shape)
    assert path.read_bytes() != (plain / "dubrava" / "mentions.csv").read_bytes()
    before, after = _mentions(plain), _mentions(shaped)
    assert len(after) == len(before) == 400
    same = ["brand", "sentiment", "url", "likes", "reach"]
    pd.testing.assert_frame_equal(after[same], before[same])
    if shape == "unix":
        # Written as UTC, read in the client's zone (Moscow, three hours ahead).
        shift = (after["date"] - before["date"]).unique()
        assert list(shift) == [pd.Timedelta(hours=3)]
    else:
        written = path.read_bytes()
        assert written.startswith(b'"date";"brand"') and written.count(b'"\r\n"') >= 400
        # Every twentieth record from the first has a text of two lines, which moves the
        # lines of the records after it.
        record = before["line"].to_numpy() - 2
        assert (after["line"].to_numpy() == before["line"].to_numpy() + (record + 19) // 20).all()
        two_lines = after["text"].str.endswith("\r\n(продолжение)").to_numpy()
        assert (two_lines == (record % 20 == 0)).all() and two_lines.sum() >= 20
