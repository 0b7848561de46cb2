"""SecCoop News: a checked corpus of news about security and defence cooperation in Africa.

The package holds the record models, the ontology, the validator, the Hugging Face build and
the benchmark scorer. The public API is re-exported here, lazily: `seccoop validate` imports
the validator only, not the scorer, the exporters or `datasets`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "1.0.0"

_EXPORTS = {
    "CATALOG": "diagnostics",
    "Finding": "diagnostics",
    "ExportResult": "export",
    "export_records": "export",
    "import_records": "export",
    "LoadError": "load",
    "load_articles": "load",
    "load_hf": "load",
    "SCHEMA_VERSION": "models",
    "Record": "models",
    "dump_record": "models",
    "Ontology": "ontology",
    "load_ontology": "ontology",
    "ArticlePrediction": "predictions",
    "predictions_schema": "predictions",
    "validate_predictions": "predictions",
    "ScoreReport": "score",
    "gold_as_predictions": "score",
    "score_files": "score",
    "Report": "validate",
    "validate_paths": "validate",
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
    from seccoop.diagnostics import CATALOG, Finding
    from seccoop.export import ExportResult, export_records, import_records
    from seccoop.load import LoadError, load_articles, load_hf
    from seccoop.models import SCHEMA_VERSION, Record, dump_record
    from seccoop.ontology import Ontology, load_ontology
    from seccoop.predictions import ArticlePrediction, predictions_schema, validate_predictions
    from seccoop.score import ScoreReport, gold_as_predictions, score_files
    from seccoop.validate import Report, validate_paths
