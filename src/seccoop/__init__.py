"""SecCoop News: a checked corpus of news about security and defence cooperation in Africa.

The package holds the record models, the ontology, the validator, the Hugging Face build and
the benchmark scorer. The public API is re-exported here, lazily: `seccoop validate` imports
the validator only, not the scorer, the exporters or `datasets`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "2.0.0"

_EXPORTS = {
    "CATALOG": "check.diagnostics",
    "Finding": "check.diagnostics",
    "ExportResult": "formats.export",
    "export_records": "formats.export",
    "import_records": "formats.export",
    "LoadError": "hub.load",
    "load_articles": "hub.load",
    "load_hf": "hub.load",
    "SCHEMA_VERSION": "record.models",
    "Record": "record.models",
    "dump_record": "record.models",
    "Ontology": "record.ontology",
    "load_ontology": "record.ontology",
    "ArticlePrediction": "bench.predictions",
    "predictions_schema": "bench.predictions",
    "validate_predictions": "bench.predictions",
    "ScoreReport": "bench.score",
    "gold_as_predictions": "bench.score",
    "score_files": "bench.score",
    "Report": "check.validate",
    "validate_paths": "check.validate",
}

__all__ = [
    "CATALOG",
    "SCHEMA_VERSION",
    "ArticlePrediction",
    "ExportResult",
    "Finding",
    "LoadError",
    "Ontology",
    "Record",
    "Report",
    "ScoreReport",
    "__version__",
    "dump_record",
    "export_records",
    "gold_as_predictions",
    "import_records",
    "load_articles",
    "load_hf",
    "load_ontology",
    "predictions_schema",
    "score_files",
    "validate_paths",
    "validate_predictions",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f"seccoop.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'seccoop' has no attribute {name!r}")


if TYPE_CHECKING:
    from seccoop.bench.predictions import ArticlePrediction, predictions_schema, validate_predictions
    from seccoop.bench.score import ScoreReport, gold_as_predictions, score_files
    from seccoop.check.diagnostics import CATALOG, Finding
    from seccoop.check.validate import Report, validate_paths
    from seccoop.formats.export import ExportResult, export_records, import_records
    from seccoop.hub.load import LoadError, load_articles, load_hf
    from seccoop.record.models import SCHEMA_VERSION, Record, dump_record
    from seccoop.record.ontology import Ontology, load_ontology
