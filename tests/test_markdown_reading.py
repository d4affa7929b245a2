"""The Markdown reader keeps one converter per process (plugins/prefetch):
every file must come out exactly as Pelican's own reader, with a new
converter per file, turns it out, whatever the files before it defined."""
from __future__ import annotations

import sys

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from support import ROOT

sys.path.insert(0, str(ROOT / "plugins"))
from prefetch import _reusing_converter  # noqa: E402

# No Summary: Pelican's own reset before converting one does not happen.
FIRST = """Title: รายงานแรก
Date: 2024-01-05

ป.ป.ช. จัดอบรม ปปช ที่ศาลากลาง[^1]

*[ปปช]: สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ

[^1]: เชิงอรรถของรายงานแรก

| จังหวัด | คน |
|---|---|
| ภูเก็ต | 250 |
"""

# Uses the abbreviation and the footnote label the first file defined, and
# has a Summary of its own: nothing of the first may leak into it.
SECOND = """Title: รายงานที่สอง
Date: 2024-02-01
Summary: สรุปของ ปปช รายงานที่สอง

ปปช มาอีกครั้ง[^1] และ [ลิงก์][ref]

Provinces: ไม่ใช่เมทาดาทา เพราะอยู่หลังบรรทัดว่าง
"""

THIRD = """Title: มีสรุป
Date: 2024-03-01
Summary: สรุปมี *ตัวเอียง*

ย่อหน้าเดียว
"""


@pytest.fixture(scope="module")
def settings():
    return read_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture()
def files(tmp_path):
    paths = []
    for i, text in enumerate((FIRST, SECOND, THIRD, FIRST, SECOND)):
        p = tmp_path / f"r{i}.md"
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    return paths


def test_each_file_reads_as_with_a_new_converter(settings, files):
    reusing = _reusing_converter(MarkdownReader)(settings)
    for path in files:
        expected = MarkdownReader(settings).read(path)
        assert reusing.read(path) == expected, path


def test_one_converter_serves_every_file(settings, files):
    reader = _reusing_converter(MarkdownReader)(settings)
    seen = set()
    for path in files:
        content, metadata = reader.read(path)
        seen.add(id(reader._md))
    assert len(seen) == 1
    # The metadata step Pelican removes for Summary is back for the next file.
    assert metadata["title"] == "รายงานที่สอง"
    assert "abbr" not in content and "เชิงอรรถ" not in content
