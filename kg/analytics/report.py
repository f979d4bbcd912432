"""An :class:`Analysis` as tables: for the terminal, and as a Markdown or HTML report with PNG plots.

All three renderings come from one list of :class:`Section`s, so the terminal and
the report files always say the same thing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.analytics.cooccurrence import SUGGESTION
from kg.analytics.graphs import EntityRef
from kg.analytics.plots import save_figures, type_label
from kg.analytics.summary import Analysis
from kg.schema import load_schema

REPORT_SUFFIXES = (".md", ".html", ".htm")
CELL_WIDTH = 44  # terminal cells are cut to this many characters
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


@dataclass
class Section:
    """One titled table; ``figure`` names the plot shown with it in reports."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    figure: str | None = None
    level: int = 2
    empty: str = "none found"
    children: list[Section] = field(default_factory=list)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _numeric(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


def _names(refs: list[EntityRef], limit: int = 5) -> str:
    shown = ", ".join(r.name for r in refs[:limit])
    return shown + (f" (+{len(refs) - limit})" if len(refs) > limit else "")


def _papers(papers: list[str], limit: int = 3) -> str:
    shown = ", ".join(papers[:limit])
    return shown + (f" (+{len(papers) - limit})" if len(papers) > limit else "")


def sections(analysis: Analysis, top: int | None = None) -> list[Section]:
    """The report's content, ``top`` rows (or boards) at most where a list can be long."""
    top = top or analysis.top
    schema = load_schema()
    rel_label = {name: spec.label for name, spec in schema.relation_types.items()}
    out = [
        Section(
            "Entities per type",
            ["type", "entities"],
            [[type_label(t), str(n)] for t, n in analysis.entity_types.items()],
            f"{analysis.papers} papers, {analysis.entities} entities, {analysis.relations} relations.",
            figure="entity-types",
        ),
        Section(
            "Relations per type",
            ["relation", "count"],
            [[rel_label.get(t, t), str(n)] for t, n in analysis.relation_types.items()],
            figure="relation-types",
        ),
        Section(
            "Degree distribution",
            ["relations per entity", "entities"],
            [[str(d), str(n)] for d, n in analysis.degrees],
            "How many entities take part in exactly that many relations stated by papers.",
            figure="degrees",
        ),
        Section(
            "Most central entities per type",
            ["type", "entity", "related entities", "papers"],
            [
                [type_label(t), c.entity.name, str(c.degree), str(c.papers)]
                for t, items in analysis.central.items()
                for c in items[:top]
            ],
            f"Ranked by {analysis.measure} centrality on the relations papers state, then papers naming them.",
            figure="top-entities",
        ),
        Section(
            "Largest communities",
            ["#", "size", "papers", "types", "members (most connected first)"],
            [
                [
                    str(c.rank),
                    str(c.size),
                    str(c.papers),
                    ", ".join(f"{type_label(t)} {n}" for t, n in c.types.items()),
                    _names(c.members, 6),
                ]
                for c in analysis.communities[:top]
            ],
            "Louvain (fixed seed) on relations plus co-occurrence in papers.",
            figure="communities",
        ),
    ]
    boards = Section(
        "Leaderboards per benchmark",
        [],
        [],
        "From EVALUATED_ON and OUTPERFORMS; score = opponents beaten minus opponents lost to (Copeland). "
        "A comparison counts for every benchmark its paper names.",
        empty="no benchmark has two entrants",
    )
    for board in analysis.leaderboards[:top]:
        boards.children.append(
            Section(
                f"{board.benchmark.name} ({type_label(board.benchmark.type)})",
                ["rank", "entity", "score", "wins", "losses", "evaluated on it", "papers"],
                [
                    [
                        str(s.rank),
                        s.entity.name,
                        f"{s.score:+d}",
                        str(s.wins),
                        str(s.losses),
                        "yes" if s.evaluated else "",
                        _papers(s.papers),
                    ]
                    for s in board.standings[:top]
                ],
                (_count(len(board.comparisons), "comparison") if board.comparisons else "no comparisons, entrants only")
                + ("; " + _count(len(board.contradictions), "contradiction") if board.contradictions else ""),
                level=3,
            )
        )
    if boards.children:
        boards.rows = [["(see below)"]]
    out.append(boards)
    out.append(
        Section(
            "Contradictions",
            ["kind", "claims", "papers"],
            [
                [
                    c.kind,
                    " > ".join(r.name for r in [*c.entities, c.entities[0]]),
                    "; ".join(f"{x.winner.name} > {x.loser.name}: {_papers(x.papers)}" for x in c.claims),
                ]
                for c in analysis.contradictions[: top * 2]
            ],
            "OUTPERFORMS claims that cannot all hold: A beats B in one paper and B beats A in another, or cycles.",
        )
    )
    out.append(
        Section(
            "Compression: what compresses what",
            ["compressor", "compressed", "papers"],
            [[e.compressor.name, e.compressed.name, _papers(e.papers)] for e in analysis.compressions[: top * 2]],
            f"{len(analysis.compressions)} COMPRESSES relations.",
        )
    )
    out.append(
        Section(
            "Compression chains",
            ["chain"],
            [[" -> ".join(r.name for r in chain)] for chain in analysis.chains[:top]],
            "A compresses B, which compresses C.",
        )
    )
    out.append(
        Section(
            "Compression lineage by model family",
            ["family", "compressed models", "compressed by"],
            [[f.family, _names([m.model for m in f.models]), _names(f.compressors)] for f in analysis.lineage[:top]],
        )
    )
    out.append(
        Section(
            "Hardware each method or model runs on",
            ["entity", "type", "runs on"],
            [
                [h.entity.name, type_label(h.entity.type), ", ".join(p.entity.name for p in h.placements)]
                for h in analysis.hardware[:top]
            ],
        )
    )
    out.append(
        Section(
            "Entities named together",
            ["entity", "entity", "papers", "relation between them"],
            [
                [c.a.name, c.b.name, str(c.count), ", ".join(rel_label.get(t, t) for t in c.related) or "-"]
                for c in analysis.cooccurrences[:top]
            ],
            "Pairs named by the most papers.",
        )
    )
    out.append(
        Section(
            "Suggested links (predictions, not in the graph)",
            ["head", "suggested relation", "tail", "Adamic-Adar", "named together", "shared neighbours"],
            [
                [
                    s.head.name,
                    " or ".join(rel_label.get(t, t) for t in s.relation_types),
                    s.tail.name,
                    f"{s.score:.2f}",
                    str(s.cooccurring),
                    _names(s.common, 3),
                ]
                for s in analysis.suggestions[:top]
            ],
            f"Suggestions only ({SUGGESTION}): pairs with no relation yet that share many rarely-named "
            "neighbours in the co-occurrence graph (Adamic-Adar). Check the papers before trusting one.",
        )
    )
    return out


# ---- terminal ----------------------------------------------------------------------------


def _cut(text: str, width: int = CELL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def text_table(headers: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    """Rows aligned under their headers (numbers right-aligned), cells cut to fit a terminal."""
    width = CELL_WIDTH if len(headers) > 1 else 3 * CELL_WIDTH
    cells = [[_cut(c, width) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [all(_numeric(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)]
        return (indent + "  ".join(parts)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *(line(r) for r in cells)]


def render_text(analysis: Analysis, top: int | None = None) -> str:
    """The whole analysis as plain text tables for the terminal."""
    lines: list[str] = []
    for section in sections(analysis, top):
        lines += _text_section(section)
    return "\n".join(lines).rstrip() + "\n"


def _text_section(section: Section) -> list[str]:
    marker = "==" if section.level == 2 else "--"
    lines = [f"{marker} {section.title}"]
    if section.note:
        lines.append(f"  {section.note}")
    if section.children:
        for child in section.children:
            lines += _text_section(child)
        return lines
    lines += text_table(section.headers, section.rows) if section.rows else [f"  ({section.empty})"]
    lines.append("")
    return lines


# ---- Markdown ---------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(analysis: Analysis, figures: dict[str, str], title: str, top: int | None = None) -> str:
    """The analysis as Markdown; ``figures`` maps a plot name to its (relative) image path."""
    lines = [f"# {title}", ""]
    for section in sections(analysis, top):
        lines += _md_section(section, figures)
    return "\n".join(lines).rstrip() + "\n"


def _md_section(section: Section, figures: dict[str, str]) -> list[str]:
    lines = [f"{'#' * section.level} {section.title}", ""]
    if section.note:
        lines += [section.note, ""]
    if section.figure and section.figure in figures:
        lines += [f"![{section.title}]({figures[section.figure]})", ""]
    if section.children:
        for child in section.children:
            lines += _md_section(child, figures)
        return lines
    if section.rows:
        lines.append("| " + " | ".join(_md_cell(h) for h in section.headers) + " |")
        lines.append("|" + "|".join("---" for _ in section.headers) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in section.rows]
    else:
        lines.append(f"_{section.empty}_")
    lines.append("")
    return lines


# ---- HTML -------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}
th{background:#f4f4f4}td.n{text-align:right}img{max-width:100%;display:block;margin:.5em 0}
p.note{color:#555}
"""


def render_html(analysis: Analysis, figures: dict[str, str], title: str, top: int | None = None) -> str:
    """The analysis as one HTML page; images are linked, relative to the page."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    for section in sections(analysis, top):
        body += _html_section(section, figures)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _html_section(section: Section, figures: dict[str, str]) -> list[str]:
    out = [f"<h{section.level}>{html.escape(section.title)}</h{section.level}>"]
    if section.note:
        out.append(f'<p class="note">{html.escape(section.note)}</p>')
    if section.figure and section.figure in figures:
        out.append(f'<img src="{html.escape(figures[section.figure])}" alt="{html.escape(section.title)}">')
    if section.children:
        for child in section.children:
            out += _html_section(child, figures)
        return out
    if not section.rows:
        out.append(f"<p><em>{html.escape(section.empty)}</em></p>")
        return out
    out.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in section.headers) + "</tr>")
    for row in section.rows:
        cells = "".join(
            f'<td class="n">{html.escape(c)}</td>' if _numeric(c) else f"<td>{html.escape(c)}</td>" for c in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return out


def write_report(analysis: Analysis, path: Path, title: str, top: int | None = None) -> list[Path]:
    """Write the report (Markdown for ``.md``, HTML for ``.html``) and its PNG plots beside it.

    The plots are named ``<report stem>-<plot>.png`` in the report's folder. Returns
    every file written, the report last. Raises ``ValueError`` for another suffix
    and ``OSError`` when the folder cannot be written.
    """
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise ValueError(f"{path}: the report must end in .md or .html")
    path.parent.mkdir(parents=True, exist_ok=True)
    written = save_figures(analysis, path.parent, path.stem)
    relative = {name: p.name for name, p in written.items()}
    text = (
        render_markdown(analysis, relative, title, top)
        if suffix == ".md"
        else render_html(analysis, relative, title, top)
    )
    path.write_text(text, encoding="utf-8")
    return [*written.values(), path]
