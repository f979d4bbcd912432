/* kg view: the page's own code. Reads the graph from #kg-data, draws it with vis-network,
 * and wires search, type and relation filters, and the details panel.
 * window.kgStats tells tests (and the curious) what is drawn: {ready, nodes, edges, total, omitted}. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const typeInfo = new Map(data.types.map((t) => [t.name, t]));
  const relationInfo = new Map(data.relations.map((r) => [r.name, r]));
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const shownTypes = new Set(data.types.map((t) => t.name));
  const shownRelations = new Set(data.relations.map((r) => r.name));
  let hideIsolated = false; // entities in no drawn relation clutter big graphs: one checkbox hides them

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") node.setAttribute("style", value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function shortLabel(name) {
    return name.length > 28 ? name.slice(0, 27) + "…" : name;
  }

  // ---- data sets --------------------------------------------------------------------
  const maxDegree = data.nodes.reduce((m, n) => Math.max(m, n.degree), 1);
  const nodes = new vis.DataSet(
    data.nodes.map((n) => {
      const color = (typeInfo.get(n.type) || { color: "#999999" }).color;
      return {
        id: n.id,
        label: shortLabel(n.name),
        title: n.name + " (" + (typeInfo.get(n.type) || { label: n.type }).label + ")",
        value: 1 + n.degree,
        color: { background: color, border: color, highlight: { background: color, border: "#000" }, hover: { background: color, border: "#000" } },
        shape: n.type === data.paperType ? "square" : "dot",
        kgType: n.type,
      };
    })
  );
  const edges = new vis.DataSet(
    data.edges.map((e) => ({
      id: e.id,
      from: e.from,
      to: e.to,
      title: (relationInfo.get(e.type) || { label: e.type }).label,
      arrows: { to: { enabled: true, scaleFactor: 0.4 } },
      width: Math.min(1 + (e.support || 1) * 0.5, 5),
      color: { color: "#9a9a9a", highlight: "#333", opacity: 0.7 },
      kgType: e.type,
    }))
  );
  const nodesView = new vis.DataView(nodes, {
    filter: (n) => shownTypes.has(n.kgType) && !(hideIsolated && nodeById.get(n.id).degree === 0),
  });
  const edgesView = new vis.DataView(edges, {
    filter: (e) =>
      shownRelations.has(e.kgType) &&
      shownTypes.has(nodeById.get(e.from).type) &&
      shownTypes.has(nodeById.get(e.to).type),
  });

  // ---- the network ------------------------------------------------------------------
  let ready = false;
  const big = data.nodes.length > 150;
  const network = new vis.Network(
    document.getElementById("graph"),
    { nodes: nodesView, edges: edgesView },
    {
      nodes: {
        scaling: { min: 6, max: 6 + 30 * Math.min(1, maxDegree / 20), label: { enabled: true, min: 14, max: 30 } },
        font: { size: 14, color: "#222", strokeWidth: 3, strokeColor: "#fff" },
        borderWidth: 1,
      },
      edges: { smooth: false, selectionWidth: 2 },
      layout: { improvedLayout: !big, randomSeed: 7 },
      physics: {
        solver: "forceAtlas2Based",
        forceAtlas2Based: { gravitationalConstant: -40, centralGravity: 0.012, springLength: 80, avoidOverlap: 0.2 },
        // layout cost grows with nodes x iterations: fewer iterations for big graphs keep the wait short
        stabilization: { enabled: true, iterations: Math.round(Math.max(100, Math.min(300, 300000 / (data.nodes.length || 1)))), updateInterval: 25, fit: true },
        maxVelocity: 40,
      },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    }
  );
  const progress = document.getElementById("progress");
  network.on("stabilizationProgress", (p) => {
    if (ready) return;
    progress.textContent = "laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  function settle() {
    if (ready) return;
    progress.textContent = "";
    network.setOptions({ physics: false });
    network.fit();
    ready = true;
    network.redraw();
    publishStats();
  }
  network.once("stabilizationIterationsDone", settle);
  if (!data.nodes.length) settle();
  setTimeout(settle, 30000); // never leave the page in "laying out" for good
  network.on("afterDrawing", () => {
    if (ready) publishStats();
  });

  function publishStats() {
    const drawnNodes = network.body.nodeIndices.length;
    const drawnEdges = network.body.edgeIndices.length;
    window.kgStats = {
      ready: true,
      nodes: drawnNodes,
      edges: drawnEdges,
      graphNodes: data.nodes.length,
      graphEdges: data.edges.length,
      total: data.stats.total,
      omitted: data.stats.omitted,
    };
    const body = document.body.dataset;
    body.kgReady = "true";
    body.kgNodes = String(drawnNodes);
    body.kgEdges = String(drawnEdges);
    body.kgOmitted = String(data.stats.omitted);
  }

  // ---- notice -----------------------------------------------------------------------
  const notice = document.getElementById("notice");
  const s = data.stats;
  notice.textContent =
    `${s.papers} papers · ${s.total} ${s.totalLabel} · ${s.relations} relations. ` +
    (s.omitted
      ? `Showing the ${data.nodes.length} most connected; ${s.omitted} left out (--max-nodes ${s.maxNodes}).`
      : `All ${data.nodes.length} shown.`);
  if (s.omitted) notice.classList.add("omitted");

  // ---- filters ----------------------------------------------------------------------
  function filterBox(containerId, items, shown, swatch) {
    const box = document.getElementById(containerId);
    for (const item of items) {
      if (!item.count) continue;
      const input = el("input", { type: "checkbox", "data-name": item.name });
      input.checked = true;
      input.addEventListener("change", () => {
        if (input.checked) shown.add(item.name);
        else shown.delete(item.name);
        refresh();
      });
      box.append(el("label", {}, input, swatch(item), item.label, el("span", { class: "count" }, item.count)));
    }
  }
  function refresh() {
    nodesView.refresh();
    edgesView.refresh();
    if (ready) publishStats();
  }
  filterBox("type-filters", data.types, shownTypes, (t) => el("span", { class: "swatch", style: `background:${t.color}` }));
  filterBox("relation-filters", data.relations, shownRelations, () => el("span", { class: "line" }));
  const isolated = data.nodes.filter((n) => n.degree === 0).length;
  if (isolated) {
    const input = el("input", { type: "checkbox", id: "hide-isolated" });
    input.addEventListener("change", () => {
      hideIsolated = input.checked;
      refresh();
    });
    document.getElementById("type-filters").after(
      el("div", { class: "filters" }, el("label", {}, input, "hide entities in no relation", el("span", { class: "count" }, isolated)))
    );
  }
  for (const toggle of document.querySelectorAll("h2 span")) {
    toggle.addEventListener("click", () => {
      const on = toggle.classList.contains("all");
      for (const input of document.querySelectorAll(`#${toggle.dataset.target} input`)) {
        if (input.checked !== on) {
          input.checked = on;
          input.dispatchEvent(new Event("change"));
        }
      }
    });
  }

  // ---- search -----------------------------------------------------------------------
  const search = document.getElementById("search");
  const matches = document.getElementById("matches");
  const searchable = data.nodes.map((n) => ({ id: n.id, text: [n.name, ...(n.aliases || [])].join("\n").toLowerCase() }));
  function findMatches(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const hits = searchable.filter((s) => s.text.includes(q)).map((s) => nodeById.get(s.id));
    hits.sort((a, b) => {
      const ea = a.name.toLowerCase() === q ? 0 : a.name.toLowerCase().startsWith(q) ? 1 : 2;
      const eb = b.name.toLowerCase() === q ? 0 : b.name.toLowerCase().startsWith(q) ? 1 : 2;
      return ea - eb || b.degree - a.degree || a.name.localeCompare(b.name);
    });
    return hits;
  }
  search.addEventListener("input", () => {
    matches.replaceChildren();
    const hits = findMatches(search.value);
    for (const n of hits.slice(0, 25)) {
      matches.append(
        el("li", { onclick: () => focusNode(n.id) }, el("span", { class: "swatch", style: `background:${typeInfo.get(n.type).color}` }), " ", n.name)
      );
    }
    if (hits.length > 25) matches.append(el("li", { class: "hint" }, `… ${hits.length - 25} more`));
    if (search.value.trim() && !hits.length) matches.append(el("li", { class: "hint" }, "no match among the drawn nodes"));
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const hits = findMatches(search.value);
      if (hits.length) focusNode(hits[0].id);
    }
  });

  function focusNode(id) {
    const n = nodeById.get(id);
    if (!shownTypes.has(n.type)) {
      shownTypes.add(n.type);
      const box = document.querySelector(`#type-filters input[data-name="${n.type}"]`);
      if (box) box.checked = true;
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400 } });
    showNode(id);
  }

  // ---- details ----------------------------------------------------------------------
  const details = document.getElementById("details");
  function paperLine(paperId) {
    const p = data.papers[paperId] || { title: paperId };
    return el("span", { class: "paper" }, p.title + (p.year ? ` (${p.year})` : ""), " · ", paperId);
  }
  function jump(id) {
    return el("a", { class: "jump", onclick: () => focusNode(id) }, nodeById.get(id).name);
  }
  function showNode(id) {
    const n = nodeById.get(id);
    const t = typeInfo.get(n.type) || { label: n.type, color: "#999999" };
    const parts = [
      el("h3", {}, el("span", { class: "swatch", style: `background:${t.color}` }), " ", n.name),
      el("div", { class: "kind" }, t.label, n.key ? ` · key ${n.key}` : "", n.family ? ` · family ${n.family}` : ""),
    ];
    if (n.aliases && n.aliases.length) parts.push(el("h2", {}, "Aliases"), el("div", {}, n.aliases.join(" · ")));
    if (n.abstract) parts.push(el("h2", {}, "Abstract"), el("blockquote", {}, n.abstract));
    const papers = n.papers || [];
    if (papers.length) {
      parts.push(el("h2", {}, `Papers (${papers.length})`));
      parts.push(el("ul", {}, ...papers.map((p) => el("li", {}, paperLine(p), (n.proposed || []).includes(p) ? " — proposes it" : ""))));
    }
    const linked = data.edges.filter((e) => e.from === id || e.to === id);
    if (linked.length) {
      parts.push(el("h2", {}, `Relations (${linked.length})`));
      parts.push(
        el(
          "ul",
          {},
          ...linked.map((e) =>
            el(
              "li",
              {},
              e.from === id ? "→ " : "← ",
              el("a", { class: "jump", onclick: () => showEdge(e.id) }, (relationInfo.get(e.type) || { label: e.type }).label),
              " ",
              jump(e.from === id ? e.to : e.from)
            )
          )
        )
      );
    }
    details.replaceChildren(...parts);
  }
  function showEdge(id) {
    const e = edgeById.get(id);
    const label = (relationInfo.get(e.type) || { label: e.type }).label;
    const parts = [
      el("h3", {}, jump(e.from), ` ${label} `, jump(e.to)),
      el("div", { class: "kind" }, e.type, e.support ? ` · stated by ${e.support} paper(s)` : "", e.confidence ? ` · confidence ${e.confidence}` : ""),
    ];
    const evidence = e.evidence || [];
    const spec = relationInfo.get(e.type) || {};
    if (spec.derived) parts.push(el("p", { class: "hint" }, "Derived, not stated in a paper: " + spec.description));
    if (evidence.length) {
      parts.push(el("h2", {}, `Evidence (${evidence.length})`));
      for (const ev of evidence) {
        parts.push(el("blockquote", {}, ev.sentence, el("br"), paperLine(ev.paper), ev.confidence ? ` · ${ev.confidence}` : ""));
      }
    }
    details.replaceChildren(...parts);
  }
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // for tests and the browser console
  window.kgView = {
    network,
    showNode,
    showEdge,
    focusNode,
    nodeIds: data.nodes.map((n) => n.id),
    edgeIds: data.edges.map((e) => e.id),
    node: (id) => nodeById.get(id),
    edge: (id) => edgeById.get(id),
  };
})();
