"""The checks: the one catalog of diagnostic codes, schema generation, and the validator split by
layer (``files``, ``syntax``, ``structure``, ``semantic``, ``corpus``; ``validate`` runs them).

Imports :mod:`seccoop.record` only, so ``seccoop validate`` starts without the scorer, the
exporters or ``datasets``.
"""
