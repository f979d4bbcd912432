"""The named Cypher query library in ``cypher/queries/``.

Each ``NAME.cypher`` file starts with comment lines that document it:

    // answers: what the query answers
    // params: name = what it is, e.g. example; other = ...
    // returns: column, column, ...

and the rest is the query, which takes its values only as ``$parameters``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver, Query

from kg.neo4j.writer import CYPHER_DIR

QUERY_DIR = CYPHER_DIR / "queries"
_HEADER = re.compile(r"^//\s*(answers|params|returns):\s*(.*)$")
_PARAM = re.compile(r"^\s*(\w+)\s*=\s*(.*)$")


class QueryError(ValueError):
    """A query that does not exist or is missing a parameter; the message is for the user."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    answers: str
    params: dict[str, str]
    returns: list[str]
    text: str

    def check(self, given: dict[str, str]) -> None:
        missing = [p for p in self.params if p not in given]
        unknown = [p for p in given if p not in self.params]
        if missing:
            raise QueryError(
                f"query {self.name!r} needs --param "
                + ", ".join(f"{p}=..." for p in missing)
                + f" ({'; '.join(f'{p}: {self.params[p]}' for p in missing)})"
            )
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; it takes {', '.join(self.params)}"
            )


def parse_query(path: Path) -> NamedQuery:
    """A query file with its documented header."""
    header: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match and not body:
            header[match.group(1)] = match.group(2).strip()
        elif line.strip() and not line.startswith("//"):
            body.append(line)
    params: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in header.get("params", "").split(";"))):
        match = _PARAM.match(part)
        if match:
            params[match.group(1)] = match.group(2)
    returns = [c.strip() for c in header.get("returns", "").split(",") if c.strip()]
    return NamedQuery(path.stem, header.get("answers", ""), params, returns, "\n".join(body))


def load_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every query of the library by name."""
    return {path.stem: parse_query(path) for path in sorted(directory.glob("*.cypher"))}


def get_query(name: str, directory: Path = QUERY_DIR) -> NamedQuery:
    queries = load_queries(directory)
    if name not in queries:
        raise QueryError(f"no query named {name!r}; `kg query --list` shows the {len(queries)} there are")
    return queries[name]


def run_query(driver: Driver, query: NamedQuery, params: dict[str, str], database: str | None = None) -> list[dict]:
    """Run a named query with checked parameters; rows as dicts in the header's column order."""
    query.check(params)
    records, _, _ = driver.execute_query(Query(query.text), params, database_=database)
    return [{column: record.get(column) for column in query.returns} for record in records]
