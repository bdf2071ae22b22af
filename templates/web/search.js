/* Search over search-index.js (window.RARDOCS_INDEX), ranked as rardocs.site.search.rank:
   every query word must match; per word 4 = whole title word, 3 = start of a title word,
   2 = whole text word, 1 = start of a text word (the best counts); then by the sum, how
   often the query words stand whole in title and text, newest first, index order.
   The index: entries [kind, title, snippet, url, date] and words [[word, entry deltas,
   each followed by -n when the word stands n > 1 times in that entry]]. */
(function () {
  "use strict";
  var root = document.currentScript.getAttribute("data-root") || "";
  var index = window.RARDOCS_INDEX || { entries: [], words: [] };
  var entries = index.entries;
  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                "september", "oktober", "november", "december"];
  var titles = null;

  function words(text) {
    return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function decode(encoded) {  /* entry number -> how often the word stands in its text */
    var number = 0, out = new Map();
    encoded.forEach(function (v) {
      if (v < 0) { out.set(number, -v); } else { number += v; out.set(number, 1); }
    });
    return out;
  }

  function startsAny(set, term) {
    for (var w of set) { if (w.startsWith(term)) { return true; } }
    return false;
  }

  function dateKey(iso) { return iso ? iso.split("-").map(Number) : [0]; }

  function rank(query) {
    var terms = Array.from(new Set(words(query)));
    if (!terms.length) { return []; }
    if (!titles) {
      titles = entries.map(function (e) { var list = words(e[1]); return { list: list, set: new Set(list) }; });
    }
    var whole = {}, begins = {};
    terms.forEach(function (t) { whole[t] = new Map(); begins[t] = new Set(); });
    index.words.forEach(function (pair) {
      terms.forEach(function (t) {
        if (pair[0].startsWith(t)) {
          var found = decode(pair[1]);
          found.forEach(function (count, n) { begins[t].add(n); });
          if (pair[0] === t) { whole[t] = found; }
        }
      });
    });
    var found = [];
    entries.forEach(function (e, position) {
      var title = titles[position], score = 0, hits = 0;
      for (var t of terms) {
        var level = title.set.has(t) ? 4 : startsAny(title.set, t) ? 3
          : whole[t].has(position) ? 2 : begins[t].has(position) ? 1 : 0;
        if (!level) { return; }
        score += level;
      }
      terms.forEach(function (t) {
        hits += title.list.filter(function (w) { return w === t; }).length + (whole[t].get(position) || 0);
      });
      found.push({ e: e, position: position, score: score, hits: hits, date: dateKey(e[4]) });
    });
    found.sort(function (a, b) {
      if (a.score !== b.score) { return b.score - a.score; }
      if (a.hits !== b.hits) { return b.hits - a.hits; }
      for (var i = 0; i < Math.max(a.date.length, b.date.length); i++) {
        var x = a.date[i] || 0, y = b.date[i] || 0;
        if (x !== y) { return y - x; }
      }
      return a.position - b.position;
    });
    return found.map(function (f) { return f.e; });
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
