"""The Hugging Face package: config descriptions (``configs``), the build, the dataset card,
Croissant metadata, the loaders and corpus statistics.

Imports :mod:`seccoop.record`, :mod:`seccoop.check` and :mod:`seccoop.bench` (for the
leaderboard). ``datasets`` is imported inside functions only.
"""
