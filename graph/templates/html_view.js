/* newsgraph HTML view.
 *
 * Every string in the graph data comes from news articles and is untrusted. It reaches the
 * page only through textContent, DOM text nodes and form-control properties: nothing here
 * parses data as HTML, and no vis-network "title" is set (vis renders string titles as HTML).
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const entities = data.entities;
  const facts = data.facts;
  const edges = data.edges;
  const byId = (id) => document.getElementById(id);
  const groupOf = data.nodes.map((node) => node.group); // node id == index
  const typeOfGroup = new Map(data.types.map((type) => [type.group, type]));
  const incident = entities.map(() => []);
  edges.forEach((edge) => {
    incident[edge.from].push(edge.id);
    if (edge.to !== edge.from) incident[edge.to].push(edge.id);
  });

  // Stabilisation stops after this long even if its iteration budget is not spent: on a slow
  // or busy machine a rougher layout now beats a finer one in ten seconds.
  const STABILISE_MS = 2500;
  const EVIDENCE_IN_NODE_PANEL = 2;
  const EVIDENCE_IN_EDGE_PANEL = 50;
  const FACTS_IN_NODE_PANEL = 100;

  const state = {
    layoutDone: false,
    physics: false,
    hiddenGroups: new Set(),
    hiddenRelations: new Set(),
    minSupport: 1,
    minConfidence: 0,
    nodeHidden: entities.map(() => false),
    edgeHidden: edges.map(() => false),
    query: "",
    matches: [],
    matchIndex: -1,
  };

  // -- DOM helpers: the only way data enters the page ----------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fmt(n) {
    return Number(n).toLocaleString("en-US");
  }

  function count(n, noun) {
    return `${fmt(n)} ${noun}${n === 1 ? "" : "s"}`;
  }

  function httpUrl(text) {
    // Only http(s) sources become links: "javascript:" and friends stay plain text.
    try {
      const url = new URL(String(text));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_error) {
      return null;
    }
  }

  function swatch(group) {
    const dot = el("span", "swatch");
    const type = typeOfGroup.get(group);
    if (type) dot.style.backgroundColor = type.colour; // our palette, never article text
    return dot;
  }

  function typeName(type) {
    if (type.type === null) return "untyped";
    return type.name ? `${type.name} (${type.type})` : type.type;
  }

  // -- the network ------------------------------------------------------------------------

  const nodeSet = new vis.DataSet(data.nodes);
  const edgeSet = new vis.DataSet(edges);
  // Created empty and filled after the listeners are attached: a tiny graph can finish
  // stabilising synchronously inside setData, and its events must not be missed.
  const network = new vis.Network(byId("graph"), {}, data.options);
  const loading = byId("loading");

  function finishLayout() {
    if (state.layoutDone) return;
    state.layoutDone = true;
    // A frozen layout stays readable and costs no CPU; the Physics button brings it back.
    network.setOptions({ physics: { enabled: false } });
    window.newsgraph.layoutMs = performance.now();
    window.newsgraph.layoutIterations = network.physics.stabilizationIterations; // diagnostics
    document.body.dataset.layout = "done";
    const focus = data.view.focus;
    if (focus !== null) {
      network.selectNodes([focus]);
      showNode(focus);
    }
  }

  let stabiliseStart = 0;
  network.on("stabilizationProgress", (params) => {
    const percent = Math.round((100 * params.iterations) / params.total);
    loading.textContent = `Laying out ${fmt(entities.length)} entities… ${percent}%`;
    if (performance.now() - stabiliseStart > STABILISE_MS) network.stopSimulation();
  });
  network.once("stabilizationIterationsDone", finishLayout);
  network.once("stabilized", finishLayout);

  // -- filters ----------------------------------------------------------------------------

  function edgePasses(id) {
    const fact = facts[id];
    const edge = edges[id];
    return (
      !state.hiddenRelations.has(fact.relation) &&
      fact.support >= state.minSupport &&
      fact.confidence + 1e-9 >= state.minConfidence &&
      !state.hiddenGroups.has(groupOf[edge.from]) &&
      !state.hiddenGroups.has(groupOf[edge.to])
    );
  }

  function applyFilters() {
    // Once facts are filtered out, entities left without any fact are noise: hide them too.
    const factFilter =
      state.hiddenRelations.size > 0 || state.minSupport > 1 || state.minConfidence > 0;
    const hasFact = new Uint8Array(entities.length);
    const edgeUpdates = [];
    edges.forEach((edge, id) => {
      const hidden = !edgePasses(id);
      if (!hidden) hasFact[edge.from] = hasFact[edge.to] = 1;
      if (hidden !== state.edgeHidden[id]) edgeUpdates.push({ id, hidden });
      state.edgeHidden[id] = hidden;
    });
    const nodeUpdates = [];
    entities.forEach((_entity, id) => {
      const hidden = state.hiddenGroups.has(groupOf[id]) || (factFilter && !hasFact[id]);
      if (hidden !== state.nodeHidden[id]) nodeUpdates.push({ id, hidden });
      state.nodeHidden[id] = hidden;
    });
    if (nodeUpdates.length) nodeSet.update(nodeUpdates);
    if (edgeUpdates.length) edgeSet.update(edgeUpdates);
    const shownNodes = state.nodeHidden.filter((hidden) => !hidden).length;
    const shownEdges = state.edgeHidden.filter((hidden) => !hidden).length;
    byId("visible-count").textContent =
      `${fmt(shownNodes)} entities and ${fmt(shownEdges)} facts visible.`;
  }

  function checkboxRow(labelParts, onChange) {
    const item = el("li");
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", () => onChange(box.checked));
    label.append(box, ...labelParts);
    item.append(label);
    return item;
  }

  function buildLegend() {
    const legend = byId("legend");
    data.types.forEach((type) => {
      const parts = [swatch(type.group), el("span", "name", typeName(type)),
        el("span", "count", fmt(type.count))];
      legend.append(checkboxRow(parts, (checked) => {
        if (checked) state.hiddenGroups.delete(type.group);
        else state.hiddenGroups.add(type.group);
        applyFilters();
      }));
    });
  }

  function buildRelationFilter() {
    const list = byId("relations");
    const boxes = [];
    data.relations.forEach(([relation, count]) => {
      const row = checkboxRow([el("span", "name", relation), el("span", "count", fmt(count))],
        (checked) => {
          if (checked) state.hiddenRelations.delete(relation);
          else state.hiddenRelations.add(relation);
          applyFilters();
        });
      boxes.push([row.querySelector("input"), relation]);
      list.append(row);
    });
    function setAll(checked) {
      boxes.forEach(([box, relation]) => {
        box.checked = checked;
        if (checked) state.hiddenRelations.delete(relation);
        else state.hiddenRelations.add(relation);
      });
      applyFilters();
    }
    byId("relations-all").addEventListener("click", () => setAll(true));
    byId("relations-none").addEventListener("click", () => setAll(false));
  }

  function buildThresholds() {
    const support = byId("min-support");
    const confidence = byId("min-confidence");
    const maxSupport = facts.reduce((max, fact) => Math.max(max, fact.support), 1);
    support.max = String(maxSupport);
    support.disabled = maxSupport <= 1;
    support.addEventListener("input", () => {
      state.minSupport = Number(support.value);
      byId("min-support-value").textContent = support.value;
      applyFilters();
    });
    confidence.addEventListener("input", () => {
      state.minConfidence = Number(confidence.value);
      byId("min-confidence-value").textContent = state.minConfidence.toFixed(2);
      applyFilters();
    });
  }

  // -- evidence rendering -----------------------------------------------------------------

  function markedSentence(text, evidence) {
    // Offsets come from Python and count code points, so slice code points, not UTF-16 units.
    const chars = Array.from(text);
    const quote = el("blockquote", "sentence");
    const spans = [[evidence.subjectSpan, "subject"], [evidence.objectSpan, "object"]]
      .filter(([span]) => span && span[0] >= 0 && span[0] < span[1] && span[1] <= chars.length)
      .sort((a, b) => a[0][0] - b[0][0]);
    let position = 0;
    spans.forEach(([[start, end], role]) => {
      if (start < position) return; // overlapping spans: keep the first
      quote.append(chars.slice(position, start).join(""));
      quote.append(el("mark", role, chars.slice(start, end).join("")));
      position = end;
    });
    quote.append(chars.slice(position).join(""));
    return quote;
  }

  function qualifierChips(evidence) {
    const chips = el("div", "qualifiers");
    const add = (className, text) => chips.append(el("span", `chip ${className}`, text));
    if (evidence.negated) add("negated", "negated");
    if (evidence.modality) add("modality", `hedged: ${evidence.modality}`);
    if (evidence.attribution) add("attribution", `reported by: ${evidence.attribution}`);
    if (evidence.time) add("time", `time: ${evidence.time}`);
    if (evidence.location) add("location", `place: ${evidence.location}`);
    if (evidence.amount) add("amount", `amount: ${evidence.amount}`);
    (evidence.extras || []).forEach((extra) => add("extra", `also: ${extra}`));
    return chips;
  }

  function documentLine(sentence, evidence) {
    const doc = data.documents[sentence.doc];
    const line = el("div", "meta");
    line.append(el("span", "doc-title", doc.title || doc.id));
    const url = doc.source ? httpUrl(doc.source) : null;
    if (url) {
      const link = el("a", "doc-source", "source");
      link.href = url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      line.append(" · ", link);
    } else if (doc.source) {
      line.append(" · ", el("span", "doc-source", doc.source));
    }
    const confidence = evidence.confidence.toFixed(2);
    line.append(` · sentence ${sentence.index + 1} · ${evidence.rule} · confidence ${confidence}`);
    return line;
  }

  function evidenceItem(evidence) {
    const sentence = data.sentences[evidence.sentence];
    const item = el("li");
    item.append(markedSentence(sentence.text, evidence), documentLine(sentence, evidence),
      qualifierChips(evidence));
    return item;
  }

  function entityLink(id) {
    const link = el("button", "entity-link", entities[id].label);
    link.type = "button";
    link.addEventListener("click", () => {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
      showNode(id);
    });
    return link;
  }

  function factSummary(id) {
    const fact = facts[id];
    const parts = [`support ${fact.support}`, `confidence ${fact.confidence.toFixed(2)}`];
    const unasserted = fact.support - fact.asserted;
    if (unasserted > 0) parts.push(`${unasserted} negated, hedged or reported`);
    return el("div", "meta", parts.join(" · "));
  }

  function factBlock(id, evidenceLimit) {
    const fact = facts[id];
    const edge = edges[id];
    const block = el("div", "fact");
    const head = el("div", "fact-head");
    head.append(entityLink(edge.from), el("span", "relation", fact.label), entityLink(edge.to));
    const list = el("ul", "evidence");
    fact.evidence.slice(0, evidenceLimit).forEach((evidence) => {
      list.append(evidenceItem(evidence));
    });
    block.append(head, factSummary(id), list);
    const more = fact.evidence.length - evidenceLimit;
    if (more > 0) {
      const button = el("button", "link", count(more, "more sentence"));
      button.type = "button";
      button.addEventListener("click", () => showEdge(id));
      block.append(button);
    }
    return block;
  }

  // -- side panel -------------------------------------------------------------------------

  const panel = byId("panel");
  const panelBody = byId("panel-body");

  function openPanel() {
    panelBody.replaceChildren();
    panel.hidden = false;
    panel.scrollTop = 0;
    return panelBody;
  }

  function closePanel() {
    panel.hidden = true;
    panelBody.replaceChildren();
  }

  function showNode(id) {
    const entity = entities[id];
    const body = openPanel();
    body.dataset.node = String(id);
    const type = typeOfGroup.get(groupOf[id]);
    const meta = el("div", "meta");
    meta.append(swatch(groupOf[id]), " ", typeName(type),
      ` · ${count(entity.mentions, "mention")} in ${count(entity.documents.length, "document")}`);
    body.append(el("h2", "", entity.label), meta);
    const others = entity.aliases.filter((alias) => alias !== entity.label);
    if (others.length) body.append(el("div", "meta", `Also called: ${others.join("; ")}`));
    const ids = incident[id].slice().sort((a, b) => facts[b].support - facts[a].support || a - b);
    body.append(el("h3", "", `Facts (${fmt(ids.length)})`));
    ids.slice(0, FACTS_IN_NODE_PANEL).forEach((edgeId) => {
      body.append(factBlock(edgeId, EVIDENCE_IN_NODE_PANEL));
    });
    if (ids.length > FACTS_IN_NODE_PANEL) {
      body.append(el("p", "more", `… and ${fmt(ids.length - FACTS_IN_NODE_PANEL)} more facts`));
    }
  }

  function showEdge(id) {
    const body = openPanel();
    body.dataset.edge = String(id);
    const edge = edges[id];
    const title = `${entities[edge.from].label} ${facts[id].label} ${entities[edge.to].label}`;
    body.append(el("h2", "", title), factBlock(id, EVIDENCE_IN_EDGE_PANEL));
  }

  // -- hover tooltip ----------------------------------------------------------------------

  const tooltip = byId("tooltip");

  function placeTooltip(pointer) {
    const box = byId("graph").getBoundingClientRect();
    const x = Math.min(box.left + pointer.x + 14, window.innerWidth - 370);
    tooltip.style.left = `${Math.max(0, x)}px`;
    tooltip.style.top = `${box.top + pointer.y + 14}px`;
  }

  function showTooltip(children, pointer) {
    tooltip.replaceChildren(...children);
    tooltip.hidden = false;
    placeTooltip(pointer);
  }

  function nodeTooltip(id) {
    const entity = entities[id];
    const type = typeOfGroup.get(groupOf[id]);
    return [
      el("strong", "", entity.label),
      el("div", "meta", `${typeName(type)} · ${count(entity.mentions, "mention")} · ` +
        count(incident[id].length, "fact")),
    ];
  }

  function edgeTooltip(id) {
    const fact = facts[id];
    const edge = edges[id];
    const head = el("div", "fact-head");
    head.append(entities[edge.from].label, el("span", "relation", fact.label),
      entities[edge.to].label);
    const parts = [head, factSummary(id)];
    const first = fact.evidence[0];
    if (first) {
      const sentence = data.sentences[first.sentence];
      parts.push(markedSentence(sentence.text, first), documentLine(sentence, first),
        qualifierChips(first));
    }
    return parts;
  }

  network.on("hoverNode", (params) => showTooltip(nodeTooltip(params.node), params.pointer.DOM));
  network.on("hoverEdge", (params) => showTooltip(edgeTooltip(params.edge), params.pointer.DOM));
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach((event) => {
    network.on(event, () => { tooltip.hidden = true; });
  });

  network.on("click", (params) => {
    tooltip.hidden = true;
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else closePanel();
  });

  // -- search -----------------------------------------------------------------------------

  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase().trim();
  }

  const searchNames = entities.map((entity) => [entity.label, ...entity.aliases].map(fold));

  function findMatches(query) {
    // Exact name first, then prefix, then substring; ties go to the more important entity.
    const wanted = fold(query);
    if (!wanted) return [];
    const scored = [];
    searchNames.forEach((names, id) => {
      let score = 3;
      names.forEach((name) => {
        if (name === wanted) score = Math.min(score, 0);
        else if (name.startsWith(wanted)) score = Math.min(score, 1);
        else if (name.includes(wanted)) score = Math.min(score, 2);
      });
      if (score < 3) scored.push([score, entities[id].rank, id]);
    });
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return scored.map((entry) => entry[2]);
  }

  function search(query, next) {
    const status = byId("search-status");
    if (query !== state.query || !next) {
      const all = findMatches(query);
      state.matches = all.filter((id) => !state.nodeHidden[id]);
      state.hiddenMatches = all.length - state.matches.length;
      state.matchIndex = -1;
      state.query = query;
    }
    if (!state.matches.length) {
      network.unselectAll();
      const hidden = state.hiddenMatches ? ` (${state.hiddenMatches} hidden by filters)` : "";
      status.textContent = fold(query) ? `no match${hidden}` : "";
      return null;
    }
    state.matchIndex = (state.matchIndex + 1) % state.matches.length;
    const id = state.matches[state.matchIndex];
    network.selectNodes(state.matches, false); // highlight every match...
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false }); // ...centre one
    const total = state.matches.length;
    status.textContent = total === 1 ? "1 match" : `${state.matchIndex + 1} of ${total} matches`;
    return id;
  }

  function buildSearch() {
    const input = byId("search");
    const names = byId("entity-names");
    const seen = new Set();
    entities.map((entity, id) => [entity.rank, id]).sort((a, b) => a[0] - b[0])
      .forEach(([_rank, id]) => {
        const label = entities[id].label;
        if (seen.has(label)) return;
        seen.add(label);
        const option = document.createElement("option");
        option.value = label; // a property, not markup
        names.append(option);
      });
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(input.value, false), 150);
    });
    byId("search-form").addEventListener("submit", (event) => {
      event.preventDefault(); // Enter: next match, with its facts in the panel
      clearTimeout(timer);
      const id = search(input.value, true);
      if (id !== null) showNode(id);
    });
  }

  // -- buttons and start-up ---------------------------------------------------------------

  function buildButtons() {
    const physics = byId("physics");
    physics.addEventListener("click", () => {
      state.physics = !state.physics;
      network.setOptions({ physics: { enabled: state.physics } });
      physics.setAttribute("aria-pressed", String(state.physics));
      physics.textContent = `Physics: ${state.physics ? "on" : "off"}`;
    });
    byId("fit").addEventListener("click", () => network.fit({ animation: false }));
    byId("panel-close").addEventListener("click", closePanel);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePanel();
    });
  }

  window.newsgraph = {
    network, nodes: nodeSet, edges: edgeSet, data, state, layoutMs: null, layoutIterations: null,
    search, showNode, showEdge,
  };
  buildLegend();
  buildRelationFilter();
  buildThresholds();
  buildSearch();
  buildButtons();
  applyFilters();
  loading.textContent = `Laying out ${fmt(entities.length)} entities…`;
  stabiliseStart = performance.now();
  network.setData({ nodes: nodeSet, edges: edgeSet });
  if (!entities.length) finishLayout(); // nothing to stabilise, so no event will come
})();
