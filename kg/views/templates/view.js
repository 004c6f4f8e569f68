// The kg view page's own behaviour: draw, legend + type filter, search, details panel.
// Data is untrusted text from abstracts: it is only ever written with textContent,
// never innerHTML, and only http(s) links are made clickable.
(function () {
  "use strict";

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }
  var PAGE = readJson("kg-page");
  var edgeList = readJson("kg-edges");
  edgeList.forEach(function (edge) {
    edge.title = edge.kgKind === "co-mention"
      ? "co-mentioned in " + edge.kgSupport + (edge.kgSupport === 1 ? " paper" : " papers")
      : "mentions";
  });
  var nodes = new vis.DataSet(readJson("kg-nodes"));
  var edges = new vis.DataSet(edgeList);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, readJson("kg-options"));
  var details = document.getElementById("kg-details");
  var hiddenTypes = {};

  function el(tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
  }

  function link(text, url) {
    var href = safeUrl(url);
    if (!href) return el("span", text);
    var a = el("a", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function addField(list, term, value) {
    if (value === undefined || value === null || value === "") return;
    list.appendChild(el("dt", term));
    if (value instanceof Node) {
      var dd = el("dd");
      dd.appendChild(value);
      list.appendChild(dd);
    } else {
      list.appendChild(el("dd", value));
    }
  }

  function paperList(papers) {
    var ul = el("ul", null, "kg-papers");
    papers.forEach(function (paper) {
      var li = el("li");
      li.appendChild(link(paper.title || paper.id, paper.url));
      li.appendChild(el("span", " (" + paper.id + ")", "kg-paper-id"));
      ul.appendChild(li);
    });
    return ul;
  }

  function neighbourList(id) {
    var ul = el("ul", null, "kg-neighbours");
    var ids = network.getConnectedNodes(id);
    var connected = nodes.get(ids)
      .filter(function (node) { return !node.hidden; }) // the type filter hides them here too
      .sort(function (a, b) { return b.size - a.size; });
    connected.slice(0, 30).forEach(function (node) {
      var li = el("li");
      var button = el("button", node.kgName, "kg-neighbour");
      button.type = "button";
      button.title = node.kgType;
      button.addEventListener("click", function () { focusNode(node.id); });
      li.appendChild(button);
      li.appendChild(el("span", " · " + node.kgType));
      ul.appendChild(li);
    });
    if (ids.length > 30) ul.appendChild(el("li", "… and " + (ids.length - 30) + " more"));
    return ul;
  }

  function showDetails(id) {
    var node = nodes.get(id);
    details.replaceChildren();
    if (!node) {
      details.appendChild(el("p", "Click a node to see its details.", "kg-hint"));
      return;
    }
    details.appendChild(el("h2", node.kgName, "kg-name"));
    var list = el("dl");
    addField(list, "Type", node.kgType);
    if (node.kgKind === "paper") {
      addField(list, "Identifier", node.kgPaperId);
      var links = el("span");
      node.kgUrls.forEach(function (url, i) {
        if (i) links.appendChild(document.createTextNode(" "));
        links.appendChild(link(url, url));
      });
      if (node.kgUrls.length) addField(list, "Links", links);
    } else {
      if (node.kgAliases.length) addField(list, "Aliases", node.kgAliases.join("; "));
      addField(list, "Mentioned in", node.kgMentions + (node.kgMentions === 1 ? " paper" : " papers"));
      addField(list, "Centrality", node.kgCentrality.toFixed(4));
      if (node.kgCommunity !== null) addField(list, "Community", node.kgCommunity);
      if (node.kgPapers.length) addField(list, "Top papers", paperList(node.kgPapers));
    }
    addField(list, "Linked in this view", neighbourList(id));
    details.appendChild(list);
  }

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showDetails(id);
  }

  // --- legend and filter by type -------------------------------------------------------
  function buildLegend() {
    var legend = document.getElementById("kg-legend");
    var counts = {}, order = [], look = {};
    nodes.forEach(function (node) {
      if (!(node.kgType in counts)) { counts[node.kgType] = 0; order.push(node.kgType); look[node.kgType] = node; }
      counts[node.kgType] += 1;
    });
    order.sort(function (a, b) { return PAGE.typeOrder.indexOf(a) - PAGE.typeOrder.indexOf(b); });
    order.forEach(function (type) {
      var label = el("label");
      label.setAttribute("data-kg-type", type);
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = type;
      box.addEventListener("change", function () { setTypeVisible(type, box.checked); });
      var swatch = el("span", null, "kg-swatch " + (look[type].shape === "square" ? "kg-square" : "kg-dot"));
      var colour = look[type].color;
      swatch.style.background = typeof colour === "string" ? colour : colour.background;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(type + " (" + counts[type] + ")"));
      legend.appendChild(label);
    });
  }

  function setTypeVisible(type, visible) {
    hiddenTypes[type] = !visible;
    var changes = [];
    nodes.forEach(function (node) {
      if (node.kgType === type) changes.push({ id: node.id, hidden: !visible });
    });
    nodes.update(changes);
  }

  // --- search --------------------------------------------------------------------------
  var index = [];
  function buildSearch() {
    var datalist = document.getElementById("kg-names");
    nodes.forEach(function (node) {
      var names = [node.kgName].concat(node.kgAliases || []);
      names.forEach(function (name) { index.push({ key: String(name).toLowerCase(), id: node.id, size: node.size }); });
      var option = el("option");
      option.value = node.kgName;
      datalist.appendChild(option);
    });
  }

  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var rank = function (entry) {
      if (entry.key === q) return 0;
      if (entry.key.indexOf(q) === 0) return 1;
      return entry.key.indexOf(q) >= 0 ? 2 : 3;
    };
    var best = {};
    index.forEach(function (entry) {
      var r = rank(entry);
      if (r < 3 && !hiddenTypes[nodes.get(entry.id).kgType] && (!(entry.id in best) || r < best[entry.id].r)) {
        best[entry.id] = { id: entry.id, r: r, size: entry.size };
      }
    });
    return Object.keys(best).map(function (k) { return best[k]; })
      .sort(function (a, b) { return a.r - b.r || b.size - a.size; });
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var status = document.getElementById("kg-search-status");
    var found = search(document.getElementById("kg-search").value);
    if (!found.length) {
      status.textContent = "No visible node matches.";
      return;
    }
    focusNode(found[0].id);
    status.textContent = found.length === 1 ? "1 match." : found.length + " matches; showing the best.";
  });

  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
  });

  buildLegend();
  buildSearch();
  // Exposed for the browser tests and the benchmark: readiness and what was drawn.
  window.kgView = { network: network, nodes: nodes, edges: edges, ready: false, focusNode: focusNode };
  network.once("afterDrawing", function () {
    window.kgView.ready = true;
    window.kgView.readyAt = performance.now(); // ms since navigation start, for the benchmark
    document.body.setAttribute("data-kg-ready", "1");
    // The view is about this node: select it and show its details, but keep the whole
    // view in sight (searching zooms in; opening a view should not).
    if (PAGE.focus !== null) {
      network.selectNodes([PAGE.focus]);
      showDetails(PAGE.focus);
    }
  });
})();
