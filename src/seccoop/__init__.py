"""SecCoop News: a hand-checked corpus of news about security and defence cooperation in Africa.

The package holds the record models, the ontology, the validator, the Hugging Face build and
the benchmark scorer. The public API is re-exported here.
"""

from seccoop.diagnostics import CATALOG, Finding
from seccoop.export import ExportResult, export_records, import_records
from seccoop.load import LoadError, load_articles, load_hf
from seccoop.models import SCHEMA_VERSION, Record, dump_record
from seccoop.ontology import Ontology, load_ontology
from seccoop.validate import Report, validate_paths

__version__ = "1.0.0"

__all__ = [
    "CATALOG",
    "SCHEMA_VERSION",
    "ExportResult",
    "Finding",
    "LoadError",
    "Ontology",
    "Record",
    "Report",
    "__version__",
    "dump_record",
    "export_records",
    "import_records",
    "load_articles",
    "load_hf",
    "load_ontology",
    "validate_paths",
]
