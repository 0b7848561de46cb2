"""The record contract: the models, the ontology, tokens, strict JSON, anchoring, Wikidata links
and atomic file I/O.

Everything else stands on this stage. It imports nothing else of ``seccoop``.
"""
