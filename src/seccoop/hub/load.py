"""Loading the corpus: validated records from their JSON files, or the built Hugging Face dataset.

`load_articles` reads records only through the validator, so what it returns is always valid;
anything else raises `LoadError` with the validator's findings. `load_hf` is a thin wrapper over
`datasets.load_dataset` for the built dataset (``dataset/hf`` by default), and
`record_from_article_row` turns a row of its ``articles`` config back into a `Record`.
`datasets` is imported only when `load_hf` is called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from seccoop.check.diagnostics import Finding, render
from seccoop.check.validate import validate_paths
from seccoop.record.models import SCHEMA_VERSION, Record

__all__ = [
    "LoadError",
    "default_hf_dir",
    "label_names",
    "load_articles",
    "load_hf",
    "record_from_article_row",
]

_CHECKOUT = Path(__file__).resolve().parents[3]


class LoadError(Exception):
    """Records that cannot be loaded, with the validator's findings (errors first)."""

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings: tuple[Finding, ...] = tuple(findings)


def load_articles(path: Path | str) -> list[Record]:
    """The records in a record file or a folder of records, validated, in file-name order.

    Raises `LoadError` if the validator reports any error (warnings are allowed). A record
    whose ``schema_version`` is not the one this seccoop reads fails with a message naming
    the version: there is no migration yet.
    """
    target = Path(path)
    report = validate_paths([target])
    errors = report.errors
    if errors:
        versions = [f for f in errors if f.code == "unsupported-schema-version"]
        head = (
            f"cannot load {target}: {versions[0].message}"
            if versions
            else f"cannot load {target}: {len(errors)} error(s) in the records"
        )
        raise LoadError(f"{head}\n{render(errors, 'human')}", errors)
    return report.models


def default_hf_dir() -> Path:
    """``dataset/hf`` of the source checkout this package runs from, else of the working folder."""
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "dataset").is_dir():
        return _CHECKOUT / "dataset" / "hf"
    return Path("dataset") / "hf"


def load_hf(config: str = "articles", path: Path | str | None = None, **kwargs: Any) -> Any:
    """``datasets.load_dataset(str(path or default_hf_dir()), config, **kwargs)``.

    Pass ``split="test"`` for a `datasets.Dataset`, ``streaming=True`` to stream, and
    ``cache_dir=`` to choose the cache. Returns whatever `datasets.load_dataset` returns.
    """
    import datasets

    return datasets.load_dataset(str(path or default_hf_dir()), config, **kwargs)


def label_names(feature: Any, value: Any) -> Any:
    """A loaded value with every ``ClassLabel`` id in it turned back into its name."""
    from datasets import ClassLabel, List

    if value is None:
        return None
    if isinstance(feature, dict):
        return {k: label_names(feature[k], v) if k in feature else v for k, v in value.items()}
    if isinstance(feature, List):
        return [label_names(feature.feature, v) for v in value]
    if isinstance(feature, ClassLabel) and isinstance(value, int):
        return feature.int2str(value)
    return value


def record_from_article_row(row: Mapping[str, Any]) -> Record:
    """Turn a row of the ``articles`` config back into the `Record` it was built from.

    Class label ids (as `load_dataset` returns them) are turned back into the label strings of
    the JSON record; a row whose labels are already strings is read as it is.
    """
    from seccoop.hub.configs import features

    data = label_names(features("articles"), dict(row))
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(
            f"schema_version is {data.get('schema_version')!r}; this seccoop reads "
            f"schema_version {SCHEMA_VERSION} and has no migration from it"
        )
    data["events"] = [
        {
            **event,
            "arguments": [
                {key: value for key, value in arg.items() if value is not None} for arg in event["arguments"]
            ],
        }
        for event in data["events"]
    ]
    return Record.model_validate(data)
