"""``python -m kg.rdf [--check]``: regenerate schemas/ontology.ttl and shapes.ttl from schema.yaml.

With ``--check`` nothing is written; the exit code is 1 if a committed file has drifted.
"""

from __future__ import annotations

import sys

from rdflib import Graph
from rdflib.compare import isomorphic

from kg.rdf import canonical_turtle, generated_files

HEADER = (
    "Generated from schemas/schema.yaml by `python -m kg.rdf`; do not edit by hand.\n"
    "To change it, edit the schema and regenerate."
)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    drifted = 0
    for path, graph in generated_files().items():
        if check:
            committed = Graph().parse(path, format="turtle") if path.is_file() else Graph()
            if not isomorphic(committed, graph):
                print(f"{path}: out of date with the schema; run python -m kg.rdf", file=sys.stderr)
                drifted += 1
            continue
        path.write_bytes(canonical_turtle(graph, HEADER))
        print(f"wrote {path} ({len(graph)} triples)")
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
