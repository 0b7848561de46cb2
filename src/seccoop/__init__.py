"""SecCoop News: a hand-checked corpus of news about security and defence cooperation in Africa.

The package holds the record models, the ontology, the validator, the Hugging Face build and
the benchmark scorer. The public API is re-exported here.
"""

from seccoop.diagnostics import CATALOG, Finding
from seccoop.export import ExportResult, export_records, import_records
from seccoop.load import LoadError, load_articles, load_hf
from seccoop.models import SCHEMA_VERSION, Record, dump_record
from seccoop.ontology import Ontology, load_ontology
from seccoop.predictions import ArticlePrediction, predictions_schema, validate_predictions
from seccoop.score import ScoreReport, gold_as_predictions, score_files
from seccoop.validate import Report, validate_paths

__version__ = "1.0.0"

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
