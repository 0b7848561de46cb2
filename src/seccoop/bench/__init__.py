"""The benchmark: the predictions format (models, validation, alignment), the scorer (one module
per task), baselines, agreement between annotation passes, and the published JSON Schemas.

Imports :mod:`seccoop.record` and :mod:`seccoop.check`.
"""
