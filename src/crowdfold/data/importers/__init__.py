"""Importers: one module per source format or URL source, and ``registry`` to pick among them."""
