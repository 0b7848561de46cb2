"""Contributor tools: scaffold a record (``new``), canonical form (``fmt``), what changed (``diff``)
and a static HTML viewer (``render``). Imports any stage below."""
