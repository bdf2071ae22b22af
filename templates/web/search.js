/* Search over search-index.js (window.RARDOCS_INDEX), ranked as rardocs.site.search.rank:
   every query word must match; per word 4 = whole title word, 3 = start of a title word,
   2 = whole text word, 1 = start of a text word (the best counts); then by the sum, the
   number of whole-word hits, newest first, index order. */
(function () {
  "use strict";
  var root = document.currentScript.getAttribute("data-root") || "";
  var entries = (window.RARDOCS_INDEX || { entries: [] }).entries;
  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                "september", "oktober", "november", "december"];
  var prepared = null;

  function words(text) {
    return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function prepare() {
    prepared = entries.map(function (e, position) {
      var title = words(e[1]), text = words(e[2]);
      return { entry: e, position: position, title: title, text: text,
               titleSet: new Set(title), textSet: new Set(text) };
    });
  }

  function startsAny(set, term) {
    for (var w of set) { if (w.startsWith(term)) { return true; } }
    return false;
  }

  function dateKey(iso) { return iso ? iso.split("-").map(Number) : [0]; }

  function rank(query) {
    var terms = Array.from(new Set(words(query)));
    if (!terms.length) { return []; }
    if (!prepared) { prepare(); }
    var found = [];
    prepared.forEach(function (p) {
      var score = 0;
      for (var term of terms) {
        var level = p.titleSet.has(term) ? 4 : startsAny(p.titleSet, term) ? 3
          : p.textSet.has(term) ? 2 : startsAny(p.textSet, term) ? 1 : 0;
        if (!level) { return; }
        score += level;
      }
      var hits = p.title.concat(p.text).filter(function (w) { return terms.indexOf(w) >= 0; }).length;
      found.push({ p: p, score: score, hits: hits, date: dateKey(p.entry[4]) });
    });
    found.sort(function (a, b) {
      if (a.score !== b.score) { return b.score - a.score; }
      if (a.hits !== b.hits) { return b.hits - a.hits; }
      for (var i = 0; i < Math.max(a.date.length, b.date.length); i++) {
        var x = a.date[i] || 0, y = b.date[i] || 0;
        if (x !== y) { return y - x; }
      }
      return a.p.position - b.p.position;
    });
    return found.map(function (f) { return f.p.entry; });
  }

  function longDate(iso) {
    var d = iso.split("-");
    return d.length === 3 ? Number(d[2]) + ". " + MONTHS[Number(d[1]) - 1] + " " + d[0] : iso;
  }

  function snippet(text, query) {
    var first = words(query)[0] || "";
    var at = Math.max(0, text.toLowerCase().indexOf(first) - 60);
    var space = at > 0 ? text.indexOf(" ", at) : -1;
    if (space >= 0 && space < at + 30) { at = space + 1; }
    var cut = text.slice(at, at + 220);
    return (at > 0 ? "…" : "") + cut + (at + 220 < text.length ? "…" : "");
  }

  function show(query) {
    var list = document.getElementById("soeg-resultater");
    var status = document.getElementById("soeg-status");
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var results = rank(query);
    status.textContent = (results.length === 0 ? "Ingen resultater" : results.length === 1 ? "1 resultat"
      : results.length + " resultater") + " for »" + query.trim() + "«";
    results.slice(0, 100).forEach(function (e) {
      var li = document.createElement("li");
      var h = document.createElement("h2");
      var a = document.createElement("a");
      a.href = root + e[3];
      a.textContent = e[1];
      h.appendChild(a);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = e[0] + " · " + longDate(e[4]);
      var text = document.createElement("p");
      text.textContent = snippet(e[2], query);
      li.append(h, meta, text);
      list.appendChild(li);
    });
  }

  var input = document.getElementById("q");
  var form = input.form;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);
  form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  input.addEventListener("input", function () { show(input.value); });
}());
