"""Conclusio: document intelligence and search over EU Council, Commission and Europol texts."""

__version__ = "0.1.0"
