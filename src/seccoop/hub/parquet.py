"""Rows to Arrow record batches of declared features, and record batches to sharded Parquet files.

`RowEncoder` turns rows (Python dicts, closed vocabularies as label names) into a
``pyarrow.RecordBatch`` whose schema is the Arrow schema of the config's ``datasets.Features``,
with the ``huggingface`` metadata that lets `datasets.load_dataset` read the features back. The
rows are converted by pyarrow in one call (label columns as strings), then every ``ClassLabel``
column is mapped to its ids with one hash lookup against the label names, built once per
feature; nothing is encoded example by example. The result equals what
``datasets.Dataset.from_list(rows, features=...)`` stores (tests/test_parquet.py compares them).

`ShardWriter` writes the batches of one config in order into Parquet files of at most
`MAX_SHARD_SIZE` Arrow bytes each (a batch is never split: a shard holds at least one), named
as `datasets` and the Hub name them: ``test-00000-of-000NN.parquet``. The files are written with
the options `datasets` uses for ``to_parquet`` (content-defined chunking, page index, per-column
compression and dictionaries), so the Hub's viewer and deduplication treat them as its own.

pyarrow and `datasets` are imported inside functions, so importing this module stays cheap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seccoop.hub.configs import MAX_SHARD_SIZE, BuildError, Row, Shard, data_file

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Features

__all__ = ["MAX_SHARD_SIZE", "RowEncoder", "ShardWriter"]


class RowEncoder:
    """Rows of one config to Arrow record batches of its declared features."""

    def __init__(self, features: Features) -> None:
        import pyarrow as pa

        self.features = features
        self.schema: pa.Schema = features.arrow_schema  # carries the "huggingface" features metadata
        self._names = list(features)
        # the same schema with every ClassLabel column as strings: what pyarrow converts the rows to
        self._plain = pa.schema(
            [pa.field(f.name, _plain_type(features[f.name], f.type), f.nullable) for f in self.schema]
        )

    def batch(self, rows: Sequence[Row]) -> pa.RecordBatch:
        """The rows as one record batch; raises `BuildError` for a label a feature does not name."""
        import pyarrow as pa

        plain = pa.RecordBatch.from_pylist(list(rows), schema=self._plain)
        columns = [
            _encode(self.features[name], plain.column(i), self.schema.field(name).type, name)
            for i, name in enumerate(self._names)
        ]
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)


def _has_labels(feature: Any) -> bool:
    from datasets import ClassLabel, List

    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, dict):
        return any(_has_labels(sub) for sub in feature.values())
    if isinstance(feature, List):
        return _has_labels(feature.feature)
    return False


def _plain_type(feature: Any, arrow_type: pa.DataType) -> pa.DataType:
    """``arrow_type`` with every ``ClassLabel`` (int64 ids) replaced by strings (label names)."""
    import pyarrow as pa
    from datasets import ClassLabel, List

    if isinstance(feature, ClassLabel):
        return pa.string()
    if not _has_labels(feature):
        return arrow_type
    if isinstance(feature, dict):
        return pa.struct(
            [pa.field(f.name, _plain_type(feature[f.name], f.type), f.nullable) for f in arrow_type]
        )
    if isinstance(feature, List):
        item = arrow_type.value_field
        return pa.list_(pa.field(item.name, _plain_type(feature.feature, item.type), item.nullable))
    raise TypeError(f"no Arrow encoding for feature {feature!r}")


def _encode(feature: Any, array: pa.Array, arrow_type: pa.DataType, path: str) -> pa.Array:
    """``array`` (labels as names) as ``arrow_type`` (labels as ``ClassLabel`` ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from datasets import ClassLabel, List

    if isinstance(feature, ClassLabel):
        ids = pc.index_in(array, value_set=_label_names(tuple(feature.names)))
        if ids.null_count != array.null_count:
            unknown = sorted(set(pc.filter(array, pc.and_(ids.is_null(), array.is_valid())).to_pylist()))
            raise BuildError(f"{path}: label(s) {unknown} are not among the names of the feature")
        return ids.cast(arrow_type)
    if not _has_labels(feature):
        return array
    mask = array.is_null() if array.null_count else None
    if isinstance(feature, dict):
        children = [
            _encode(feature[f.name], array.field(i), f.type, f"{path}.{f.name}")
            for i, f in enumerate(arrow_type)
        ]
        return pa.StructArray.from_arrays(children, fields=list(arrow_type), mask=mask)
    if isinstance(feature, List):
        values = _encode(feature.feature, array.values, arrow_type.value_type, f"{path}[]")
        return pa.ListArray.from_arrays(array.offsets, values, type=arrow_type, mask=mask)
    raise TypeError(f"no Arrow encoding for feature {feature!r}")


_LABEL_SETS: dict[tuple[str, ...], Any] = {}


def _label_names(names: tuple[str, ...]) -> pa.Array:
    """The label names of a feature as an Arrow array, made once per vocabulary."""
    import pyarrow as pa

    if names not in _LABEL_SETS:
        _LABEL_SETS[names] = pa.array(names, type=pa.string())
    return _LABEL_SETS[names]


class ShardWriter:
    """The Parquet shards of one config under ``root``, written batch by batch in row order."""

    def __init__(
        self, root: Path, config: str, encoder: RowEncoder, max_shard_size: int = MAX_SHARD_SIZE
    ) -> None:
        self.root = root
        self.config = config
        self.encoder = encoder
        self.max_shard_size = max_shard_size
        self.num_rows = 0
        self.num_bytes = 0
        self._parts: list[Path] = []
        self._writer: Any = None
        self._shard_bytes = 0

    def write(self, batch: pa.RecordBatch) -> None:
        """Append a batch, in a new shard if it would take the current one over the size limit."""
        if batch.num_rows == 0:  # no empty row groups
            return
        if self._writer is not None and self._shard_bytes + batch.nbytes > self.max_shard_size:
            self._close()
        if self._writer is None:
            self._open()
        self._writer.write_batch(batch)
        self._shard_bytes += batch.nbytes
        self.num_rows += batch.num_rows
        self.num_bytes += batch.nbytes

    def finish(self) -> tuple[Shard, ...]:
        """Close the last shard and give every shard its final name (``-of-`` the shard count)."""
        if self._writer is None and not self._parts:
            self._open()  # a config without rows still has one file, with its schema
        self._close()
        shards = []
        for index, part in enumerate(self._parts):
            relative = data_file(self.config, index, len(self._parts))
            target = self.root / relative
            part.rename(target)
            with target.open("rb") as handle:  # read in blocks: a shard can be hundreds of MB
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            shards.append(Shard(relative, target.stat().st_size, digest))
        return tuple(shards)

    def _open(self) -> None:
        import pyarrow.parquet as pq

        part = self.root / "data" / self.config / f".part-{len(self._parts):05d}.parquet"
        part.parent.mkdir(parents=True, exist_ok=True)
        self._parts.append(part)
        self._writer = pq.ParquetWriter(part, self.encoder.schema, **_writer_options(self.encoder))
        self._shard_bytes = 0

    def _close(self) -> None:
        if self._writer is None:
            return
        cdc = _cdc_options()
        if cdc is not None:  # as datasets' to_parquet records it
            self._writer.add_key_value_metadata({"content_defined_chunking": json.dumps(cdc)})
        self._writer.close()
        self._writer = None


def _cdc_options() -> dict[str, Any] | None:
    from datasets import config

    options: dict[str, Any] | None = getattr(config, "DEFAULT_CDC_OPTIONS", None)
    return options


def _writer_options(encoder: RowEncoder) -> dict[str, Any]:
    """The ``ParquetWriter`` options `datasets`' ``to_parquet`` uses for these features."""
    options: dict[str, Any] = {}
    cdc = _cdc_options()
    if cdc is not None:
        options["use_content_defined_chunking"] = cdc
        options["write_page_index"] = True
    try:
        from datasets.arrow_writer import get_parquet_column_options
    except ImportError:  # an older datasets: pyarrow's defaults
        return options
    options.update(get_parquet_column_options(encoder.features, encoder.schema))
    return options
