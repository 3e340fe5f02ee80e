"use strict";
// kg network page: reads the JSON data block, draws it with vis-network and wires search, filters and
// the neighbourhood highlight. Text from documents only ever reaches the page as DOM text nodes.
var network = null; // vis-network's instance, global like on pyvis's own page (part of kg viz's contract)
var kg = {};
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var T = data.messages;
  var DIM = { background: "#ececec", border: "#d6d6d6" };
  var el = function (id) { return document.getElementById(id); };
  var fmt = function (s, v) { return s.replace(/\{(\w+)\}/g, function (_, k) { return String(v[k]); }); };
  var fold = function (s) { return String(s || "").toLocaleLowerCase("ru").replace(/ё/g, "е"); };

  function tip(t) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    var h = document.createElement("strong");
    h.textContent = t.h;
    box.appendChild(h);
    if (t.k) {
      var k = document.createElement("div");
      k.className = "kg-tip-kind";
      k.textContent = t.k;
      box.appendChild(k);
    }
    (t.rows || []).forEach(function (r) {
      var d = document.createElement("div");
      var b = document.createElement("b");
      b.textContent = r[0] + ": ";
      d.appendChild(b);
      d.appendChild(document.createTextNode(r[1]));
      box.appendChild(d);
    });
    if (t.src && t.src.length) {
      var ul = document.createElement("ul");
      t.src.forEach(function (s) {
        var li = document.createElement("li");
        var doc = document.createElement("span");
        doc.className = "kg-doc";
        doc.textContent = s[0];
        li.appendChild(doc);
        if (s[1]) {
          var q = document.createElement("q");
          q.textContent = s[1];
          li.appendChild(document.createTextNode(" "));
          li.appendChild(q);
        }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    if (t.more) {
      var m = document.createElement("div");
      m.className = "kg-tip-more";
      m.textContent = fmt(T.more, { n: t.more });
      box.appendChild(m);
    }
    return box;
  }

  data.nodes.forEach(function (n) { n.title = tip(n.tip); n.baseColor = n.color; n.folded = fold(n.label); });
  data.edges.forEach(function (e) { e.title = tip(e.tip); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var adj = {};
  data.edges.forEach(function (e) {
    (adj[e.from] = adj[e.from] || []).push(e);
    (adj[e.to] = adj[e.to] || []).push(e);
  });

  var state = { q: "", body: "", from: data.yearMin, to: data.yearMax, kinds: {}, comms: {}, highlighted: null };
  var visible = {};
  data.nodes.forEach(function (n) { visible[n.id] = true; state.kinds[n.kind] = true; });
  document.querySelectorAll("input[data-community]").forEach(function (c) { state.comms[c.value] = true; });

  function yearsOk(ys) {
    if (!ys || !ys.length || state.from === null) { return true; }
    for (var i = 0; i < ys.length; i++) { if (ys[i] >= state.from && ys[i] <= state.to) { return true; } }
    return false;
  }
  function bodyOk(bs, strict) {
    if (!state.body) { return true; }
    if (!bs || !bs.length) { return !strict; }
    return bs.indexOf(state.body) >= 0;
  }
  function edgeOk(e) { return bodyOk(e.bodies, false) && yearsOk(e.years); }
  function nodeOk(n) {
    return state.kinds[n.kind] === true && (!n.community || state.comms[n.community] === true) &&
      bodyOk(n.bodies, true) && yearsOk(n.years);
  }

  var nodesView = new vis.DataView(nodes, { filter: function (n) { return visible[n.id] === true; } });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) { return visible[e.from] === true && visible[e.to] === true && edgeOk(e); }
  });

  function recompute() {
    var base = {};
    nodes.forEach(function (n) { if (nodeOk(n)) { base[n.id] = true; } });
    var shown = base;
    var q = fold(state.q).trim();
    kg.matches = [];
    if (q) {
      shown = {};
      nodes.forEach(function (n) {
        if (base[n.id] && n.folded.indexOf(q) >= 0) { shown[n.id] = true; kg.matches.push(n.id); }
      });
      kg.matches.forEach(function (id) {
        (adj[id] || []).forEach(function (e) {
          var other = e.from === id ? e.to : e.from;
          if (base[other] && edgeOk(e)) { shown[other] = true; }
        });
      });
      el("kg-found").textContent = fmt(T.found, { n: kg.matches.length });
    } else {
      el("kg-found").textContent = "";
    }
    visible = shown;
    nodesView.refresh();
    edgesView.refresh();
    if (network) { network.selectNodes(kg.matches.filter(function (id) { return visible[id]; })); }
    el("kg-count").textContent = fmt(T.shown, { nodes: nodesView.length, edges: edgesView.length });
  }

  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (m) { near[m] = true; });
    var updates = [];
    nodes.forEach(function (n) {
      var on = near[n.id] === true;
      updates.push({ id: n.id, color: on ? n.baseColor : DIM, font: { color: on ? "#1a1a1a" : "#c8c8c8" } });
    });
    nodes.update(updates);
    state.highlighted = id;
  }
  function clearHighlight() {
    if (state.highlighted === null) { return; }
    var updates = [];
    nodes.forEach(function (n) { updates.push({ id: n.id, color: n.baseColor, font: { color: "#1a1a1a" } }); });
    nodes.update(updates);
    state.highlighted = null;
  }

  var container = el("mynetwork");
  network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);
  kg.nodes = nodes;
  kg.edges = edges;
  kg.state = state;
  kg.recompute = recompute;
  network.once("afterDrawing", function () {
    kg.firstDraw = performance.now();
    document.body.setAttribute("data-ready", "1");
  });
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: false } }); });
  }
  network.on("click", function (p) { if (p.nodes.length) { highlight(p.nodes[0]); } else { clearHighlight(); } });

  el("kg-search").addEventListener("input", function (ev) { state.q = ev.target.value; recompute(); });
  el("kg-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && kg.matches.length) { network.fit({ nodes: kg.matches, animation: false }); }
  });
  el("kg-body").addEventListener("change", function (ev) { state.body = ev.target.value; recompute(); });
  ["kg-year-from", "kg-year-to"].forEach(function (id) {
    var input = el(id);
    if (!input) { return; }
    input.addEventListener("input", function () {
      var a = parseInt(el("kg-year-from").value, 10);
      var b = parseInt(el("kg-year-to").value, 10);
      state.from = isNaN(a) ? data.yearMin : a;
      state.to = isNaN(b) ? data.yearMax : b;
      recompute();
    });
  });
  document.querySelectorAll("input[data-kind]").forEach(function (c) {
    c.addEventListener("change", function () { state.kinds[c.value] = c.checked; recompute(); });
  });
  document.querySelectorAll("input[data-community]").forEach(function (c) {
    c.addEventListener("change", function () { state.comms[c.value] = c.checked; recompute(); });
  });
  el("kg-reset").addEventListener("click", function () {
    state.q = "";
    state.body = "";
    state.from = data.yearMin;
    state.to = data.yearMax;
    el("kg-search").value = "";
    el("kg-body").value = "";
    if (el("kg-year-from")) { el("kg-year-from").value = data.yearMin; el("kg-year-to").value = data.yearMax; }
    document.querySelectorAll("input[data-kind]").forEach(function (c) { c.checked = true; state.kinds[c.value] = true; });
    document.querySelectorAll("input[data-community]").forEach(function (c) { c.checked = true; state.comms[c.value] = true; });
    clearHighlight();
    recompute();
    network.fit();
  });
  recompute();
})();
