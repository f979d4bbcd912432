"""CSV files for `neo4j-admin database import full`: well formed, exact, and equal to what Bolt writes."""

import csv
import json
import re
import shlex
import socket
from pathlib import Path

import pytest

from kg.graph import Entity, Evidence, KnowledgeGraph, Relation
from kg.model import Paper
from kg.neo4j.bulk import ARRAY_DELIMITERS, _Writer, choose_array_delimiter, write_import_files
from kg.neo4j.writer import ENTITY_LABEL, GraphWriter
from kg.schema import load_schema
from kg.synthetic import generate, truth_graph

try:  # stated results (Result nodes) are part of the graph model where kg.graph has them
    from kg.graph import ResultRecord
except ImportError:  # pragma: no cover - an older graph model
    ResultRecord = None

NASTY = 'He said "hi", then; left,\nnew line\r\nand \\"escaped\\" \u001f unit \u001e record — Модель 模型 🤖 '
NAME = 'Name, "quoted"; semi\nline'
HEADER_COLUMN = re.compile(
    r"^(?:[A-Za-z_]\w*(?::(?:string|long|double|boolean|int|float)(?:\[\])?)?"
    r"|(?:[A-Za-z_]\w*)?:ID\(\w+\)|:START_ID\(\w+\)|:END_ID\(\w+\)|:LABEL|:TYPE)$"
)


def nasty_graph(records: int = 60) -> KnowledgeGraph:
    """A synthetic graph plus papers, names and evidence built to break CSV writers."""
    graph = truth_graph(generate(records, seed=2))
    graph.papers['p,"1'] = Paper('p,"1', 'Title, with "quotes"; and\nnewline', NASTY, authors=["A, B", 'C "D"'])
    graph.papers["p2"] = Paper("p2", "", "plain", authors=[], year=2020, url="http://x/?a=1,2")
    graph.entities['k"1'] = Entity(
        'k"1',
        NAME,
        "MODEL",
        aliases=["al;1", "al,2", "al\u001f3", " spaced ", "ünï 模型"],
        papers=['p,"1', "gone"],
        proposed_by=['p,"1'],
    )
    graph.entities["k2"] = Entity("k2", "Методика 方法", "METHOD", papers=["p2", "p2"], family='fam,"x"')
    graph.entities["k3"] = Entity("k3", "not in the schema", "NOT_A_TYPE", papers=["p2"])
    graph.relations[('k"1', "USES", "k2")] = Relation(
        'k"1',
        "USES",
        "k2",
        [Evidence('p,"1', NASTY, "abstract", 0, 5, 0.7), Evidence("p2", "second; one", "title", 1, 2, 0.9)],
    )
    graph.relations[("k2", "OUTPERFORMS", "k3")] = Relation("k2", "OUTPERFORMS", "k3", [])  # k3 is never written
    if ResultRecord is not None:
        ends = {"metric": None, "dataset": None, "applied_to": None, "baseline": None}
        graph.results["r,1"] = ResultRecord(
            "r,1",
            'p,"1',
            'k"1',
            **{**ends, "baseline": "k2"},
            value=68.2,
            low=None,
            unit="%",
            setting=None,
            relative=False,
            sentence=NASTY,
            start=0,
            end=len(NASTY),
        )
        graph.results["r2"] = ResultRecord(  # its paper and its metric are missing: a node, no edges to them
            "r2",
            "gone",
            "k2",
            **{**ends, "metric": "k3"},
            value=1.5,
            low=1.2,
            unit="x",
            setting="bs=1",
            relative=True,
            sentence="1.2-1.5x faster",
            start=3,
            end=18,
        )
    return graph


def read(path: Path, array_delimiter: str) -> tuple[list[str], list[dict]]:
    """A header/data pair parsed with the csv module in the importer's dialect; arrays split."""
    header = next(csv.reader(path.with_name(path.stem + "-header.csv").open(encoding="utf-8", newline="")))
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for fields in csv.reader(handle, delimiter=",", quotechar='"', doublequote=True, strict=True):
            assert len(fields) == len(header), fields
            row = {}
            for column, value in zip(header, fields, strict=True):
                if column.endswith("[]") or column == ":LABEL":
                    row[column] = value.split(array_delimiter) if value else []
                else:
                    row[column] = value
            rows.append(row)
    return header, rows


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return nasty_graph()


@pytest.fixture(scope="module")
def files(graph, tmp_path_factory):
    return write_import_files(graph, tmp_path_factory.mktemp("import"))


def test_headers_are_valid_and_id_spaces_match(graph, files):
    spaces = set()
    for header, _ in files.nodes:
        columns = header.read_text(encoding="utf-8").rstrip("\n").split(",")
        assert all(HEADER_COLUMN.match(c) for c in columns), columns
        ids = [c for c in columns if ":ID(" in c]
        assert len(ids) == 1 and ":LABEL" in columns
        spaces.add(ids[0].split("(")[1].rstrip(")"))
    schema = load_schema()
    expected = {schema.paper.label, ENTITY_LABEL}
    if getattr(graph, "results", None):
        expected.add(schema.result.label)
    assert spaces == expected
    for header, _ in files.relationships:
        columns = header.read_text(encoding="utf-8").rstrip("\n").split(",")
        assert all(HEADER_COLUMN.match(c) for c in columns), columns
        assert ":TYPE" in columns
        for prefix in (":START_ID(", ":END_ID("):
            (column,) = [c for c in columns if c.startswith(prefix)]
            assert column[len(prefix) : -1] in spaces


def test_rows_round_trip_exactly(graph, files):
    schema = load_schema()
    delimiter = files.array_delimiter
    _, papers = read(files.directory / "papers.csv", delimiter)
    by_id = {row[f"id:ID({schema.paper.label})"]: row for row in papers}
    assert set(by_id) == set(graph.papers)
    for paper in graph.papers.values():
        row = by_id[paper.id]
        assert (row["title"], row["abstract"], row["authors:string[]"]) == (paper.title, paper.abstract, paper.authors)
        assert row["year:long"] == ("" if paper.year is None else str(paper.year))
        assert row["url"] == (paper.url or "") and row[":LABEL"] == [schema.paper.label]

    _, entities = read(files.directory / "entities.csv", delimiter)
    by_key = {row[f"key:ID({ENTITY_LABEL})"]: row for row in entities}
    assert set(by_key) == {k for k, e in graph.entities.items() if e.type in schema.entity_types}
    for key, row in by_key.items():
        entity = graph.entities[key]
        expected = GraphWriter._entity_row(entity)
        assert row["name"] == entity.name and row["type"] == entity.type
        assert row["aliases:string[]"] == entity.aliases
        assert row["names_lower:string[]"] == expected["names_lower"]
        assert row["family"] == (entity.family or "")
        assert row[":LABEL"] == [ENTITY_LABEL, schema.label(entity.type)]
    assert by_key['k"1']["name"] == NAME
    assert by_key['k"1']["aliases:string[]"] == ["al;1", "al,2", "al\u001f3", " spaced ", "ünï 模型"]

    _, relations = read(files.directory / "relations.csv", delimiter)
    written = {(r[f":START_ID({ENTITY_LABEL})"], r[":TYPE"], r[f":END_ID({ENTITY_LABEL})"]): r for r in relations}
    for (head, relation_type, tail), row in written.items():
        relation = graph.relations[(head, relation_type, tail)]
        assert row["evidence:string[]"] == [e.sentence for e in relation.evidence]
        assert row["evidence_papers:string[]"] == [e.paper for e in relation.evidence]
        assert row["evidence_keys:string[]"] == [f"{e.paper}|{e.section}|{e.start}|{e.end}" for e in relation.evidence]
        assert [float(c) for c in row["confidences:double[]"]] == [e.confidence for e in relation.evidence]
        assert row["papers:string[]"] == list(dict.fromkeys(e.paper for e in relation.evidence))
        assert int(row["support:long"]) == len(row["papers:string[]"])
        assert float(row["confidence:double"]) == relation.confidence  # 1.0 for derived relations, as the writer
    assert written[('k"1', "USES", "k2")]["evidence:string[]"][0] == NASTY


def test_every_endpoint_exists_and_counts_match(graph, files):
    schema = load_schema()
    delimiter = files.array_delimiter
    papers = {r[f"id:ID({schema.paper.label})"] for r in read(files.directory / "papers.csv", delimiter)[1]}
    entities = {r[f"key:ID({ENTITY_LABEL})"] for r in read(files.directory / "entities.csv", delimiter)[1]}
    _, edges = read(files.directory / "paper-edges.csv", delimiter)
    _, relations = read(files.directory / "relations.csv", delimiter)
    for row in edges:
        assert row[f":START_ID({schema.paper.label})"] in papers and row[f":END_ID({ENTITY_LABEL})"] in entities
        assert row[":TYPE"] in schema.paper_edges
    for row in relations:
        assert row[f":START_ID({ENTITY_LABEL})"] in entities and row[f":END_ID({ENTITY_LABEL})"] in entities
        assert row[":TYPE"] in schema.relation_types

    known = {k for k, e in graph.entities.items() if e.type in schema.entity_types}
    expected_edges = sum(
        len({p for p in entity.papers if p in graph.papers}) + len({p for p in entity.proposed_by if p in graph.papers})
        for key, entity in graph.entities.items()
        if key in known
    )
    expected_relations = sum(1 for h, _, t in graph.relations if h in known and t in known)
    results = bool(getattr(graph, "results", None))
    assert files.counts == {
        "papers": len(graph.papers),
        "entities": len(known),
        "paper_edges": expected_edges,
        "relations": expected_relations,
        "results": 2 if results else 0,
        "result_edges": 4 if results else 0,  # r,1: REPORTS, RESULT_OF, COMPARED_WITH; r2: RESULT_OF
    }
    assert (len(papers), len(entities), len(edges), len(relations)) == tuple(files.counts.values())[:4]
    # k3 is not in the schema, "gone" is no paper, k2->k3 ends at k3; r2's paper and its metric (k3) are missing
    assert files.skipped == {"entities": 1, "paper_edges": 1, "relations": 1, "result_edges": 2 if results else 0}


def test_columns_mirror_the_bolt_writer(graph, files):
    """A drift detector: the writer's rows and Cypher name exactly the properties the files carry."""

    def names(header: Path) -> set[str]:
        return {c.split(":")[0] for c in header.read_text(encoding="utf-8").rstrip("\n").split(",") if c.split(":")[0]}

    writer = GraphWriter.__new__(GraphWriter)
    writer.schema = load_schema()
    assert names(files.nodes[0][0]) == set(GraphWriter._paper_rows(graph)[0])
    assert names(files.nodes[1][0]) == set(GraphWriter._entity_row(next(iter(graph.entities.values())))) | {"type"}
    set_in_cypher = set(re.findall(r"\br\.(\w+) =", writer._relation_query("USES")))
    assert names(files.relationships[1][0]) == set_in_cypher
    assert names(files.relationships[0][0]) == set()
    if getattr(graph, "results", None):
        result_query = writer._result_query()
        assert names(files.nodes[2][0]) == set(re.findall(r"\br\.(\w+) = row", result_query)) | {"id"}
        for header, _ in files.relationships[2:]:
            assert names(header) == set()


@pytest.mark.skipif(ResultRecord is None, reason="this graph model has no stated results")
def test_results_round_trip(graph, files):
    schema = load_schema()
    _, rows = read(files.directory / "results.csv", files.array_delimiter)
    by_id = {row[f"id:ID({schema.result.label})"]: row for row in rows}
    assert by_id["r,1"]["sentence"] == NASTY and by_id["r,1"]["relative:boolean"] == "false"
    assert by_id["r,1"]["low:double"] == "" and float(by_id["r2"]["low:double"]) == 1.2
    assert by_id["r2"]["setting"] == "bs=1" and by_id["r2"][":LABEL"] == [schema.result.label]
    _, edges = read(files.directory / "result-edges.csv", files.array_delimiter)
    assert {(r[f":START_ID({schema.result.label})"], r[":TYPE"], r[f":END_ID({ENTITY_LABEL})"]) for r in edges} == {
        ("r,1", "RESULT_OF", 'k"1'),
        ("r,1", "COMPARED_WITH", "k2"),
        ("r2", "RESULT_OF", "k2"),
    }


def test_the_array_delimiter_never_occurs_in_an_element(graph, files):
    assert "\u001f" in NAME + "".join(graph.entities['k"1'].aliases) + NASTY
    assert files.array_delimiter not in ("\u001f", "\u001e")  # both occur in the data
    assert files.array_delimiter not in ',"\n\r'
    plain = KnowledgeGraph(entities={"a": Entity("a", "A", "MODEL", ["x"], ["p"])})
    assert choose_array_delimiter(plain) == "\u001f"
    hostile = KnowledgeGraph(entities={"a": Entity("a", "".join(ARRAY_DELIMITERS), "MODEL", [], ["p"])})
    with pytest.raises(ValueError):
        choose_array_delimiter(hostile)


def test_fields_are_quoted_and_absent_values_are_empty():
    out = _Writer("\u001f")
    assert out.optional(None) == "" and out.optional("") == '""'
    assert out.text('a "b", c') == '"a ""b"", c"'
    assert out.strings([]) == "" and out.strings(['x"', "y"]) == '"x""\u001fy"'
    assert out.numbers([0.5, 1.0]) == '"0.5\u001f1.0"' and out.number(None) == ""


def test_command_line(files):
    command = files.command()
    assert command[:4] == ["neo4j-admin", "database", "import", "full"] and command[-1] == "neo4j"
    assert shlex.split(files.command_line()) == command
    for header, data in files.nodes:
        assert f"--nodes={header},{data}" in command
    for header, data in files.relationships:
        assert f"--relationships={header},{data}" in command
    assert "--delimiter=," in command and '--quote="' in command
    assert f"--array-delimiter=U+{ord(files.array_delimiter):04X}" in command
    assert files.multiline and "--multiline-fields=true" in command
    assert files.command("kg", admin="/opt/neo4j/bin/neo4j-admin")[0] == "/opt/neo4j/bin/neo4j-admin"


def test_single_line_data_needs_no_multiline_flag(tmp_path):
    files = write_import_files(truth_graph(generate(30, seed=9)), tmp_path)
    assert not files.multiline and "--multiline-fields=true" not in files.command()
    assert files.array_delimiter == "\u001f"


def test_post_import_sets_constraints_and_only_the_empty_lists_needed(graph, files, tmp_path):
    statements = files.post_import
    assert any("REQUIRE p.id IS UNIQUE" in s for s in statements)
    assert any("p.authors = []" in s for s in statements)  # p2 has no authors
    assert any("e.aliases = []" in s for s in statements)
    assert any("VARIANT_OF" in s and "r.evidence_keys = []" in s for s in statements)  # families carry no evidence
    text = files.post_import_file.read_text(encoding="utf-8")
    assert all(f"{s};" in text for s in statements)
    full = KnowledgeGraph(papers={"p": Paper("p", "t", "a", authors=["x"])})
    full.entities["e"] = Entity("e", "E", "MODEL", ["alias"], ["p"])
    lean = write_import_files(full, tmp_path / "lean")
    assert not [s for s in lean.post_import if "= []" in s]


def test_a_folder_with_a_comma_is_refused(tmp_path):
    with pytest.raises(ValueError, match="comma"):
        write_import_files(KnowledgeGraph(), tmp_path / "a,b")


# ---------------------------------------------------------------------------- the real importer


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dump(driver) -> tuple[list[str], list[str]]:
    """Every node and relationship with labels, ends and properties, as sorted JSON lines."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    relations, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) "
        "RETURN type(r) AS type, coalesce(a.id, a.key) AS start, b.key AS end, properties(r) AS props"
    )
    return (
        sorted(json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True, ensure_ascii=False) for r in nodes),
        sorted(json.dumps([r["type"], r["start"], r["end"], r["props"]], sort_keys=True) for r in relations),
    )


@pytest.mark.neo4j
def test_the_files_import_for_real_and_equal_a_bolt_load(tmp_path):
    """neo4j-admin (from neo4j-server/target/lib) imports the files; a Bolt write over them then changes nothing."""
    from neo4j import GraphDatabase

    from kg.neo4j.bulk import import_into_local_server, run_post_import
    from kg.neo4j.server import ServerError, start, stop

    graph = nasty_graph(80)
    files = write_import_files(graph, tmp_path / "files")
    data_dir = tmp_path / "db"
    try:
        report = import_into_local_server(files, data_dir)
        info = start(data_dir, bolt_port=free_port(), password="kg-test-password", timeout=180)
    except ServerError as exc:
        pytest.fail(f"neo4j-admin import or the server failed: {exc}", pytrace=False)
    assert "IMPORT DONE" in report
    try:
        with pytest.raises(ServerError, match="running"):
            import_into_local_server(files, data_dir)
        with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
            run_post_import(driver, files)
            schema = load_schema()
            counts, _, _ = driver.execute_query(
                f"MATCH (p:{schema.paper.label}) WITH count(p) AS papers "
                f"MATCH (e:{ENTITY_LABEL}) WITH papers, count(e) AS entities "
                "MATCH ()-[r]->() RETURN papers, entities, count(r) AS relationships"
            )
            assert counts[0].data() == {
                "papers": files.counts["papers"],
                "entities": files.counts["entities"],
                "relationships": files.counts["paper_edges"] + files.counts["relations"] + files.counts["result_edges"],
            }
            record, _, _ = driver.execute_query(f"MATCH (e:{ENTITY_LABEL} {{key: $key}}) RETURN e", key='k"1')
            assert record[0]["e"]["name"] == NAME and record[0]["e"]["aliases"] == graph.entities['k"1'].aliases
            record, _, _ = driver.execute_query("MATCH (p:Paper {id: $id}) RETURN p.abstract AS text", id='p,"1')
            assert record[0]["text"] == NASTY
            imported = dump(driver)
            GraphWriter(driver).write(graph)
            assert dump(driver) == imported
    finally:
        stop(data_dir)
