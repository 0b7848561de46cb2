"""Interchange formats, one module each; :mod:`seccoop.formats.export` is the public entry point.

``conll`` (IOB2 over the outermost names), ``brat`` (standoff ``.ann`` + ``annotation.conf``),
``labelstudio`` (JSON tasks + labeling config) and ``spacy_docbin`` (a ``DocBin``; spaCy is an
optional extra, imported only when that format is asked for). ``_base`` holds what they share:
the result and error types, the table of what each format drops, and the helpers that rebuild a
record from a format that carries only some of its layers.

Imports :mod:`seccoop.record` and :mod:`seccoop.check`.
"""
