"""The relative link root the render cache gives each page (from the page's
depth alone) and the file it writes it to are the ones Pelican's writer
computes."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from rendercache import _output_path, _plain_relative, _relative_root  # noqa: E402

PART = st.sampled_from(["reports", "2024", "en", "ก-ข", "index.html", "a.b", ".", "..", "", "x y"])


@given(st.lists(PART, min_size=1, max_size=7), st.sampled_from(["/", "\\", "//"]))
def test_same_root_as_pelican(parts, sep):
    name = sep.join(parts)
    assert _relative_root(name) == path_to_url(get_relative_path(name))


def test_known_depths_and_paths():
    assert _relative_root("index.html") == "."
    assert _relative_root("en/index.html") == ".."
    assert _relative_root("en/reports/2024/x/index.html") == "../../../.."
    name = Path("a/b/index.html")
    assert _relative_root(name) == path_to_url(get_relative_path(name)) == "../.."


@given(st.lists(PART, min_size=1, max_size=7), st.sampled_from(["/", "\\", "//"]),
       st.sampled_from(["/srv/site/output", "/srv/site/output/", "/srv/./site//output", "/"]))
def test_same_output_file_as_pelican(parts, sep, output):
    name = sep.join(parts)
    try:
        expected = sanitised_join(output, name)
    except RuntimeError:                        # breaks out of the output folder
        with pytest.raises(RuntimeError):
            _output_path(os.path.abspath(output), output, name)
        return
    assert _output_path(os.path.abspath(output), output, name) == expected


@given(st.text(alphabet="a./\\\nก", max_size=12))
def test_plain_names_are_those_without_empty_dot_or_backslash_parts(name):
    parts = name.split("/")
    assert _plain_relative(name) == ("\\" not in name and all(p not in ("", ".", "..") for p in parts))
