"""The record contract: the models, the ontology, tokens, strict JSON, anchoring, Wikidata links,
atomic file I/O, and the worker processes of ``--jobs``.

Everything else stands on this stage. It imports nothing else of ``seccoop``.
"""
