// Client-side search over search.json: every word of the query must match
// (prefix match), titles weigh most. Results are built with textContent only.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  var index = null;
  var fold = function (s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u2018\u2019]/g, "'");
  };
  var words = function (s) { return fold(s).split(/[^\p{L}\p{N}']+/u).filter(Boolean); };
  function load() {
    if (index) return Promise.resolve(index);
    var get = function (u) {
      return fetch(u).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
    };
    return get(input.getAttribute("data-index")).then(function (m) {
      return Promise.all(m.shards.map(get)).then(function (parts) {
        return [].concat.apply(m.entries, parts);
      });
    }).then(function (d) {
      index = d.map(function (e) {
        return { e: e, t: " " + fold(e.t) + " ", b: " " + fold((e.s || "") + " " + (e.x || "")) + " " };
      });
      return index;
    });
  }
  function has(hay, w) { return hay.indexOf(" " + w) >= 0 || hay.indexOf(w) >= 0 && w.length > 3; }
  function snippet(text, qs) {
    var f = fold(text), at = -1;
    for (var i = 0; i < qs.length && at < 0; i++) at = f.indexOf(qs[i]);
    var start = Math.max(0, at - 80);
    return (start > 0 ? "…" : "") + text.slice(start, start + 220) + (start + 220 < text.length ? "…" : "");
  }
  function run() {
    var q = input.value.trim();
    var qs = words(q);
    list.textContent = "";
    if (!qs.length) { status.textContent = ""; return; }
    load().then(function (idx) {
      var hits = [];
      idx.forEach(function (d) {
        var score = 0;
        for (var i = 0; i < qs.length; i++) {
          var inT = has(d.t, qs[i]), inB = has(d.b, qs[i]);
          if (!inT && !inB) return;
          score += inT ? 5 : 1;
        }
        hits.push({ d: d.e, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || (b.d.d || "").localeCompare(a.d.d || ""); });
      status.textContent = hits.length ? hits.length + (hits.length === 1 ? " result" : " results") + " for “" + q + "”" : "No results for “" + q + "”";
      hits.slice(0, 50).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.d.u; a.textContent = h.d.t;
        var h3 = document.createElement("h2"); h3.appendChild(a); li.appendChild(h3);
        var meta = document.createElement("p"); meta.className = "meta";
        meta.textContent = [h.d.k, h.d.o, h.d.h].filter(Boolean).join(" · ");
        li.appendChild(meta);
        var p = document.createElement("p"); p.textContent = snippet((h.d.s || "") + " " + (h.d.x || ""), qs);
        li.appendChild(p);
        list.appendChild(li);
      });
    }).catch(function (err) { status.textContent = "Search is unavailable: " + err.message; });
  }
  var timer;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () {
    var u = new URL(location.href); u.searchParams.set("q", input.value); history.replaceState(null, "", u); run(); }, 120); });
  document.querySelector(".search-form").addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  var q0 = new URLSearchParams(location.search).get("q");
  if (q0) { input.value = q0; run(); }
})();
