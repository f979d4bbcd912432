"""The export formats ``kg export --format`` offers: add an entry to ``EXPORTERS`` to add one.

Writers are named as ``module:function`` and imported on use, so building the
command line (``kg --help``) does not import rdflib.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.rdf.export import ExportStats

Writer = Callable[["KnowledgeGraph", BinaryIO, "str | None", "ExportStats | None"], "ExportStats"]


@dataclass(frozen=True)
class Exporter:
    """One output format: its writer, the file suffixes that announce it, and whether it streams."""

    name: str
    suffixes: tuple[str, ...]
    media_type: str
    writer: str
    streams: bool = False

    def load(self) -> Writer:
        module, function = self.writer.split(":")
        return getattr(import_module(module), function)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", (".ttl",), "text/turtle", "kg.rdf.export:write_turtle"),
        Exporter("jsonld", (".jsonld", ".json"), "application/ld+json", "kg.rdf.export:write_jsonld"),
        Exporter("ntriples", (".nt",), "application/n-triples", "kg.rdf.export:write_ntriples", streams=True),
    )
}
DEFAULT_FORMAT = "turtle"


def exporter_for(suffix: str) -> Exporter | None:
    """The exporter a file suffix names (``.nt`` -> N-Triples), if any."""
    return next((e for e in EXPORTERS.values() if suffix.lower() in e.suffixes), None)
