"""Property tests: any rows written in a format read back equal; flattening loses nothing."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from crowdfold.data.importers import delimited, json_array, jsonl
from crowdfold.lib.flatten import flatten

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=10,
)
rows = st.lists(st.dictionaries(keys, values, max_size=4), max_size=6)


def _read(reader, data: bytes):
    return [row for _, row in reader(io.BytesIO(data))]


@settings(max_examples=30, deadline=None)
@given(rows)
def test_json_lines_round_trip(items):
    data = "".join(json.dumps(r) + "\n" for r in items).encode()
    assert _read(jsonl.read, data) == items


@settings(max_examples=30, deadline=None)
@given(rows, st.sampled_from([None, 0, 2]), st.sampled_from([3, 17, 1 << 16]))
def test_json_arrays_round_trip_whatever_the_layout_and_chunking(items, indent, chunk):
    data = json.dumps(items, indent=indent, ensure_ascii=False).encode()
    saved, json_array.CHUNK = json_array.CHUNK, chunk  # small chunks cut values mid-way
    try:
        assert _read(json_array.read, data) == items
    finally:
        json_array.CHUNK = saved


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=4,
        unique=True,
    )
    .filter(
        lambda h: all(
            c.strip() == c and c not in ("n_answers", "priority_0", "quorum", "calibration")
            for c in h
        )
    )
    .flatmap(
        lambda h: st.tuples(
            st.just(h),
            st.lists(
                st.lists(
                    st.text(
                        st.characters(
                            codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\x00"
                        ),
                        max_size=6,
                    ),
                    min_size=len(h),
                    max_size=len(h),
                ),
                max_size=5,
            ),
        )
    )
)
def test_csv_rows_come_back_as_their_info(case):
    header, records = case
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(records)
    got = _read(delimited.read_csv, buffer.getvalue().encode())
    expected = [
        dict(zip(header, r, strict=True)) for r in records if not (len(r) == 1 and r[0] == "")
    ]
    assert [g["info"] for g in got] == expected


def _unflattened_leaves(value, prefix):
    if isinstance(value, dict) and value:
        for k, v in value.items():
            yield from _unflattened_leaves(v, f"{prefix}_{k}")
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            yield from _unflattened_leaves(v, f"{prefix}_{i}")
    else:
        yield prefix, value


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text("abc", min_size=1, max_size=3), values, max_size=5))
def test_flattening_keeps_every_leaf_and_nothing_else(info):
    flat = flatten(info, prefix="info")
    leaves = list(_unflattened_leaves(info, "info"))
    # Every leaf appears under its joined key (keys may collide, as in PYBOSSA: the last one wins).
    for key, _value in leaves:
        assert key in flat
    assert set(flat) == {k for k, _ in leaves}
