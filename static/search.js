// dossier search: queries the index internal/search builds. It fetches the
// root (chunk boundaries, facet groups), then only the chunks holding the
// query's words, positions only for quoted phrases, and one fragment per
// result shown. Words are folded as the index folds them; the index lists
// every surface form of each stem, so no stemmer runs here. Everything is
// built with DOM text nodes: text from the index is never parsed as HTML.
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form || window.__dossierSearch) return;
  window.__dossierSearch = true;
  var indexURL = new URL(form.getAttribute("data-index"), location.href);
  var pageList = document.getElementById("search-results");
  var PAGE = pageList ? 10 : 5, MAXPREFIX = 4;

  // ---- text: the same cuts and folding as internal/search/text.go
  // A Chinese character, hiragana or katakana is a word of its own (a run
  // of them is a sentence, written without spaces); a run of them in a
  // query is a phrase (isCharWord in text.go).
  var CHAR = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30fc", LETTER = "(?:(?![" + CHAR + "])[\\p{L}\\p{N}\\p{M}])";
  var WORD = new RegExp("[" + CHAR + "]\\p{M}*|" + LETTER + "+(?:['\\u2019]" + LETTER + "+)*", "gu");
  var CHARWORD = new RegExp("^[" + CHAR + "]", "u");
  var ASCII = /^[\x00-\x7f]*$/, folded = new Map();
  function fold(w) {
    if (ASCII.test(w)) return w.toLowerCase();
    var f = folded.get(w);
    if (f === undefined) {
      f = w.toLowerCase().normalize("NFD").replace(/(?![\u3099\u309a])\p{M}/gu, "").replace(/\u2019/g, "'").replace(/\u03c2/g, "\u03c3");
      if (folded.size < 50000) folded.set(w, f);
    }
    return f;
  }
  // A word of more than MAXWORD bytes of UTF-8 is skipped, as the index
  // skips it (internal/search.MaxWordBytes).
  var MAXWORD = 64;
  function utf8Len(w) {
    var n = 0;
    for (var i = 0; i < w.length; i++) { var c = w.charCodeAt(i); n += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xfc00) === 0xd800 ? (i++, 4) : 3; }
    return n;
  }
  function words(s) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(s))) if (m[0].length * 3 <= MAXWORD || utf8Len(m[0]) <= MAXWORD) out.push({ s: m.index, e: m.index + m[0].length, w: fold(m[0]) });
    return out;
  }
  // parse: words must all match; "quoted words" must match in order; while
  // typing, the last word is a prefix.
  function parse(q, typing) {
    var terms = [], phrases = [], parts = q.split(/["\u201c\u201d]/);
    parts.forEach(function (p, i) {
      var found = words(p), ws = found.map(function (x) { return x.w; });
      terms.push.apply(terms, ws);
      if (i % 2) {
        if (ws.length > 1) phrases.push(ws);
        return;
      }
      var run = [], end = -1;
      found.concat([{ s: -2, w: "" }]).forEach(function (x) {
        var ch = CHARWORD.test(x.w);
        if (!ch || x.s !== end) {
          if (run.length > 1) phrases.push(run);
          run = [];
        }
        if (ch) { run.push(x.w); end = x.e; }
      });
    });
    var open = parts.length % 2 === 0;
    var prefix = typing && !open && terms.length > 0 && /[\p{L}\p{N}\p{M}]$/u.test(q) && terms[terms.length - 1].length > 1;
    return { terms: terms, phrases: phrases, prefix: prefix };
  }

  // ---- index files
  var VAL = new Int8Array(128).fill(-1), ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  for (var i = 0; i < 64; i++) VAL[ALPHA.charCodeAt(i)] = i;
  var state = null; // {root, base, files: Map url -> Promise}
  function getJSON(url, opts) {
    return fetch(url, opts).then(function (r) {
      if (!r.ok) { var e = new Error("HTTP " + r.status + " for " + url); e.status = r.status; throw e; }
      return r.json();
    });
  }
  function open(reload) {
    if (state && !reload) return state.ready;
    var st = { files: new Map() };
    st.ready = getJSON(indexURL, reload ? { cache: "reload" } : undefined).then(function (p) {
      st.base = new URL(p.root, indexURL);
      return getJSON(st.base);
    }).then(function (root) {
      if (root.v !== 1) throw new Error("unknown index version " + root.v);
      st.root = root;
      return st;
    }).catch(function (err) {
      if (state === st) state = null; // the next query tries again
      throw err;
    });
    state = st;
    return st.ready;
  }
  function file(st, path) {
    var u = new URL(path, st.base).href;
    // A failed fetch is not kept: the next query tries again.
    if (!st.files.has(u)) st.files.set(u, getJSON(u).catch(function (err) { st.files.delete(u); throw err; }));
    return st.files.get(u);
  }
  // chunk returns chunk i: groups of surface forms, and per surface its group.
  function chunk(st, i) {
    return file(st, "c/" + st.root.c[i] + ".json").then(function (c) {
      if (!c.map) {
        c.map = new Map();
        c.i = i;
        c.dec = [];
        c.g.forEach(function (g, k) { g.forEach(function (w) { c.map.set(w, k); }); });
      }
      return c;
    });
  }
  function chunkOf(root, w) {
    var lo = 0, hi = root.b.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (root.b[mid] <= w) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function num(s, at) { // reads a number at at.i
    var v = 0, shift = 0, c;
    do { c = VAL[s.charCodeAt(at.i++)]; v += (c & 31) * Math.pow(2, shift); shift += 5; } while (c >= 32);
    return v;
  }
  // postings of group k of chunk c: {docs, imps}
  function postings(c, k) {
    if (c.dec[k]) return c.dec[k];
    var s = c.p[k], at = { i: 0 }, docs = [], imps = [], d = -1;
    while (at.i < s.length) { d += num(s, at) + 1; docs.push(d); imps.push(VAL[s.charCodeAt(at.i++)]); }
    return (c.dec[k] = { docs: docs, imps: imps, surfaces: c.g[k], c: c, k: k });
  }
  function positions(st, g, want) { // Map doc -> positions, for docs in want
    var parts = g.c.x, j = parts.length - 1;
    while (j > 0 && parts[j][0] > g.k) j--;
    return file(st, "x/" + parts[j][1] + ".json").then(function (x) {
      var s = x[g.k - parts[j][0]], at = { i: 0 }, out = new Map();
      g.docs.forEach(function (d) {
        var n = num(s, at) + 1, ps = [], p = -1;
        for (var k = 0; k < n; k++) { p = k ? p + num(s, at) + 1 : num(s, at); ps.push(p); }
        if (want.has(d)) out.set(d, ps);
      });
      return out;
    });
  }
  // A word form the corpus never uses ("vetoing" where only "veto" and
  // "vetoed" occur) is looked up without its ending: these are only the
  // forms tried, in order, when the word itself is not indexed; the index's
  // own stemming decides what they match. Every stem is indexed among its
  // forms, so a base form is also tried as the stemmer writes it ("lorry"
  // as "lorri", the stem of "lorries"; "barricade" as "barricad").
  var ENDINGS = [["ies", "y"], ["ied", "y"], ["es", ""], ["s", ""], ["ed", ""], ["ed", "e"], ["d", ""], ["ing", ""], ["ing", "e"], ["ly", ""], ["'s", ""], ["y", "i"], ["e", ""]];
  // Last, a base form the corpus never uses whose stem is not itself
  // ("embankment", stem "embank") is tried with the endings of its
  // inflected forms ("embankments").
  var GROWN = ["s", "es", "ed", "d", "ing", "'s"];
  function bases(w) {
    var out = [];
    ENDINGS.forEach(function (x) {
      var b = w.slice(0, w.length - x[0].length);
      if (b.length < 3 || w.slice(b.length) !== x[0]) return;
      out.push(b + x[1]);
      if (!x[1] && b[b.length - 1] === b[b.length - 2]) out.push(b.slice(0, -1)); // running -> run
    });
    if (w.length >= 3) GROWN.forEach(function (x) { out.push(w + x); });
    return out;
  }
  function resolveForm(st, w) {
    return resolve(st, w, false).then(function (gs) {
      if (gs.length) return gs;
      var bs = bases(w);
      return (function next(i) {
        if (i >= bs.length) return [];
        return resolve(st, bs[i], false).then(function (g) { return g.length ? g : next(i + 1); });
      })(0);
    });
  }
  // resolve finds the stem groups a query word stands for: its own surface
  // form, or every surface starting with it when it is a prefix.
  function resolve(st, w, prefix) {
    if (!st.root.c || !st.root.c.length) return Promise.resolve([]); // a site with nothing to search
    var b = st.root.b, i = chunkOf(st.root, w), ids = [i];
    if (prefix) while (ids.length < MAXPREFIX && i + ids.length < b.length && b[i + ids.length].indexOf(w) === 0) ids.push(i + ids.length);
    return Promise.all(ids.map(function (k) { return chunk(st, k); })).then(function (cs) {
      var groups = [];
      cs.forEach(function (c) {
        if (!prefix) {
          if (c.map.has(w)) groups.push(postings(c, c.map.get(w)));
          return;
        }
        var seen = {};
        c.map.forEach(function (k, s) { if (!seen[k] && s.indexOf(w) === 0) { seen[k] = 1; groups.push(postings(c, k)); } });
      });
      return groups;
    });
  }

  function search(q, typing) {
    var pq = parse(q, typing), t0 = performance.now();
    var uniq = [], seen = {};
    pq.terms.forEach(function (w, i) {
      var pre = pq.prefix && i === pq.terms.length - 1, key = w + (pre ? "*" : "");
      if (!seen[key]) { seen[key] = 1; uniq.push({ w: w, prefix: pre }); }
    });
    return open().then(function (st) {
      return Promise.all(uniq.map(function (t) { return t.prefix ? resolve(st, t.w, true) : resolveForm(st, t.w); })).then(function (gs) {
        var root = st.root, N = root.n, k1 = root.k1, scores = null;
        var byWord = {};
        uniq.forEach(function (t, i) { if (!t.prefix) byWord[t.w] = gs[i][0]; });
        // AND: each word's documents, scored by BM25 (IDF here, the
        // term-frequency part precomputed as an impact).
        gs.forEach(function (groups) {
          var m = new Map();
          groups.forEach(function (g) {
            var idf = Math.log(1 + (N - g.docs.length + 0.5) / (g.docs.length + 0.5));
            for (var j = 0; j < g.docs.length; j++) {
              var d = g.docs[j], v = idf * g.imps[j] / 63 * (k1 + 1);
              if (!(m.get(d) >= v)) m.set(d, v);
            }
          });
          if (!scores) { scores = m; return; }
          var next = new Map();
          scores.forEach(function (v, d) { if (m.has(d)) next.set(d, v + m.get(d)); });
          scores = next;
        });
        scores = scores || new Map();
        var res = { q: q, pq: pq, st: st, t0: t0, groups: gs };
        if (!pq.phrases.length || !scores.size) return finish(res, scores);
        // Phrases. Two common words side by side are looked up as a pair
        // (the index lists where they are adjacent); otherwise the words'
        // positions in the candidates must follow each other.
        return Promise.all(pq.phrases.map(function (ph) {
          return Promise.all(ph.slice(1).map(function (w, j) {
            var a = byWord[ph[j]], b = byWord[w];
            if (!a || !b) return { docs: new Set() };
            if (a.docs.length < root.pf || b.docs.length < root.pf) return { pos: true };
            return resolve(st, a.surfaces[0] + " " + b.surfaces[0], false).then(function (gs) {
              return { docs: new Set(gs.length ? gs[0].docs : []) };
            });
          })).then(function (pairs) {
            scores.forEach(function (v, d) {
              if (pairs.some(function (p) { return p.docs && !p.docs.has(d); })) scores.delete(d);
            });
            if (!scores.size || !pairs.some(function (p) { return p.pos; })) return;
            return Promise.all(ph.map(function (w) { return positions(st, byWord[w], scores); })).then(function (pos) {
              scores.forEach(function (v, d) {
                var ok = pos.every(function (p) { return p.has(d); }) && pos[0].get(d).some(function (p0) {
                  return pos.every(function (p, j) { return p.get(d).indexOf(p0 + j) >= 0; });
                });
                if (!ok) scores.delete(d);
              });
            });
          });
        })).then(function () { return finish(res, scores); });
      });
    });
  }
  function groupOf(root, d) {
    var g = root.groups, lo = 0, hi = g.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (g[mid][3] <= d) lo = mid; else hi = mid - 1; }
    return g[lo];
  }
  function finish(res, scores) {
    var hits = [];
    scores.forEach(function (v, d) { hits.push({ d: d, v: v, g: groupOf(res.st.root, d) }); });
    hits.sort(function (a, b) { return b.v - a.v || a.d - b.d; });
    res.hits = hits;
    res.match = new Set();
    res.groups.forEach(function (gs) { gs.forEach(function (g) { g.surfaces.forEach(function (s) { res.match.add(s); }); }); });
    return res;
  }
  function fragment(st, d) { return file(st, "f/" + st.root.e + "/" + d + ".json"); }

  // ---- snippets: the paragraph with most query words, words marked.
  function snippet(f, res) {
    var best = null;
    if (!f.ws) f.ws = (f.p || []).concat([["", f.s || ""]]).map(function (p) { return words(p[1]); });
    (f.p || []).concat([["", f.s || ""]]).forEach(function (p, idx) {
      // A character that is a word of its own is marked only where the
      // query's run of them stands, not everywhere it occurs.
      var ws = f.ws[idx], inRun = new Set();
      res.pq.phrases.forEach(function (ph) {
        if (!CHARWORD.test(ph[0])) return;
        ws.forEach(function (x, j) {
          if (ph.every(function (w, k) { return ws[j + k] && ws[j + k].w === w && (!k || ws[j + k].s === ws[j + k - 1].e); })) for (var k = 0; k < ph.length; k++) inRun.add(j + k);
        });
      });
      var hit = ws.filter(function (x, j) { return res.match.has(x.w) && (!CHARWORD.test(x.w) || inRun.has(j) || !res.pq.phrases.length); });
      var distinct = new Set(hit.map(function (x) { return x.w; })).size;
      var phrase = res.pq.phrases.some(function (ph) {
        return ws.some(function (x, j) { return ph.every(function (w, k) { return ws[j + k] && sameStem(res, ws[j + k].w, w); }); });
      });
      var score = (phrase ? 1000 : 0) + distinct * 10 + Math.min(hit.length, 9);
      if (hit.length && (!best || score > best.score)) best = { p: p, hit: hit, score: score };
    });
    return best;
  }
  function sameStem(res, a, b) {
    return res.groups.some(function (gs) { return gs.some(function (g) { return g.surfaces.indexOf(a) >= 0 && g.surfaces.indexOf(b) >= 0; }); });
  }
  function marked(text, hit, into) {
    var from = 0, to = text.length, MAX = 260;
    if (text.length > MAX && hit.length) {
      // Cut at spaces around the first hit; text without spaces there
      // (Chinese, Japanese) is cut where it falls, never inside a
      // character, so the hit is always shown.
      from = Math.max(0, hit[0].s - 80);
      var sp = text.indexOf(" ", from);
      if (from && sp >= 0 && sp < hit[0].s) from = sp + 1;
      if ((text.charCodeAt(from) & 0xfc00) === 0xdc00) from++;
      to = Math.min(text.length, from + MAX);
      sp = text.lastIndexOf(" ", to);
      if (to < text.length && sp >= hit[0].e) to = sp;
      if ((text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to--;
    }
    if (from > 0) into.appendChild(document.createTextNode("… "));
    var at = from, last = null;
    hit.forEach(function (x) {
      if (x.s < at || x.e > to) return;
      if (last && x.s === at) { // side by side (characters of one word): one mark
        last.textContent += text.slice(x.s, x.e);
        at = x.e;
        return;
      }
      into.appendChild(document.createTextNode(text.slice(at, x.s)));
      last = document.createElement("mark");
      last.textContent = text.slice(x.s, x.e);
      into.appendChild(last);
      at = x.e;
    });
    into.appendChild(document.createTextNode(text.slice(at, to) + (to < text.length ? " …" : "")));
  }

  // ---- user interface
  var LABEL = { article: "Article", person: "Person", organisation: "Organisation", place: "Place", topic: "Topic", claim: "Claim", event: "Event" };
  var PLURAL = { article: "Articles", person: "People", organisation: "Organisations", place: "Places", topic: "Topics", claim: "Claims", event: "Events" };
  var input, status, list, facetBox, more, panel;
  if (pageList) {
    input = document.getElementById("q");
    status = document.getElementById("search-status");
    list = pageList;
    facetBox = document.getElementById("search-facets");
    more = document.getElementById("search-more");
  } else {
    input = form.querySelector("input[name=q]");
    panel = document.createElement("div");
    panel.className = "search-panel";
    panel.hidden = true;
    status = document.createElement("p");
    status.className = "meta";
    status.setAttribute("role", "status");
    list = document.createElement("ol");
    list.className = "results plain";
    panel.appendChild(status);
    panel.appendChild(list);
    form.appendChild(panel);
  }
  var filters = { kind: new Set(), outlet: new Set(), year: new Set() };
  var current = null, seq = 0, shown = 0;

  function facetsOf(root, g) {
    return { kind: root.kinds[g[0]], outlet: g[1] >= 0 ? root.outlets[g[1]] : "", year: g[2] ? String(g[2]) : "" };
  }
  function passes(root, h) {
    var f = facetsOf(root, h.g);
    return ["kind", "outlet", "year"].every(function (k) { return !filters[k].size || filters[k].has(f[k]); });
  }
  function run(typing) {
    // A space typed after the last word ends it: it is no longer a prefix.
    var q = input.value.trim(), my = ++seq;
    if (/\s$/.test(input.value)) typing = false;
    if (pageList) {
      var u = new URL(location.href);
      if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
      history.replaceState(null, "", u);
    }
    if (!q) { clear(); status.textContent = ""; return Promise.resolve(); }
    list.setAttribute("aria-busy", "true");
    // A file missing (404) means the site was published again since the
    // index was opened: its files are named by their content, so the old
    // ones are gone. The new index is opened once and the query run again.
    return search(q, typing).then(function (res) {
      if (my !== seq) return;
      current = res;
      shown = 0;
      renderFacets(res);
      return render(res, my, true);
    }).then(function () {
      if (my === seq) run.retried = false;
    }, function (err) {
      if (my !== seq) return;
      if (err.status === 404 && !run.retried) {
        run.retried = true;
        return open(true).then(function () { return run(typing); }, function (e) { failed(my, e); });
      }
      failed(my, err);
    });
  }
  function failed(my, err) {
    if (my !== seq) return;
    status.textContent = "Search is unavailable: " + err.message;
    list.removeAttribute("aria-busy");
  }
  function clear() { list.textContent = ""; if (facetBox) facetBox.textContent = ""; if (more) more.hidden = true; if (panel) panel.hidden = true; }
  function render(res, my, fresh) {
    var root = res.st.root, hits = res.hits.filter(function (h) { return passes(root, h); });
    var page = hits.slice(shown, shown + PAGE);
    return Promise.all(page.map(function (h) { return fragment(res.st, h.d); })).then(function (frags) {
      if (my !== seq) return;
      if (fresh) list.textContent = "";
      frags.forEach(function (f, i) { list.appendChild(item(f, res, page[i])); });
      shown += page.length;
      var n = hits.length, q = "\u201c" + res.q + "\u201d";
      status.textContent = n ? n + (n === 1 ? " result" : " results") + " for " + q + (hits.length < res.hits.length ? " (filtered)" : "") : "No results for " + q + ".";
      if (more) more.hidden = shown >= n;
      if (panel) {
        panel.hidden = false;
        if (n > shown) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = form.action + "?q=" + encodeURIComponent(res.q);
          a.textContent = "All " + n + " results";
          li.appendChild(a);
          list.appendChild(li);
        }
      }
      list.setAttribute("aria-busy", "false");
      list.setAttribute("data-ms", (performance.now() - res.t0).toFixed(1));
      list.setAttribute("data-done", String(my));
    });
  }
  function item(f, res, h) {
    var li = document.createElement("li"), h2 = document.createElement("h2"), a = document.createElement("a");
    var sn = snippet(f, res);
    a.href = f.u + (sn && sn.p[0] ? "#" + sn.p[0] : "");
    var tw = words(f.t).filter(function (x) { return res.match.has(x.w); });
    marked(f.t, tw, a);
    h2.appendChild(a);
    li.appendChild(h2);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [LABEL[f.k] || f.k, f.o, f.h].filter(Boolean).join(" · ");
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "snippet";
    if (sn) marked(sn.p[1], sn.hit, p); else marked(f.s || (f.p && f.p[0] ? f.p[0][1] : ""), [], p);
    li.appendChild(p);
    li.setAttribute("data-score", h.v.toFixed(3));
    return li;
  }
  function renderFacets(res) {
    if (!facetBox) return;
    facetBox.textContent = "";
    var root = res.st.root, counts = { kind: new Map(), outlet: new Map(), year: new Map() };
    res.hits.forEach(function (h) {
      var f = facetsOf(root, h.g);
      ["kind", "outlet", "year"].forEach(function (k) { if (f[k]) counts[k].set(f[k], (counts[k].get(f[k]) || 0) + 1); });
    });
    [["kind", "Kind"], ["outlet", "Outlet"], ["year", "Year"]].forEach(function (fd) {
      var k = fd[0], m = counts[k];
      filters[k].forEach(function (v) { if (!m.has(v)) m.set(v, 0); });
      if (m.size < 2 && !filters[k].size) return;
      var fs = document.createElement("fieldset"), lg = document.createElement("legend");
      fs.className = "facet";
      lg.textContent = fd[1];
      fs.appendChild(lg);
      var vals = Array.from(m.keys());
      vals.sort(k === "year" ? function (a, b) { return b.localeCompare(a); } : k === "kind" ? function (a, b) { return root.kinds.indexOf(a) - root.kinds.indexOf(b); } : function (a, b) { return m.get(b) - m.get(a) || a.localeCompare(b); });
      vals.forEach(function (v) {
        var lb = document.createElement("label"), cb = document.createElement("input");
        cb.type = "checkbox";
        cb.name = k;
        cb.value = v;
        cb.checked = filters[k].has(v);
        cb.addEventListener("change", function () {
          if (cb.checked) filters[k].add(v); else filters[k].delete(v);
          shown = 0;
          list.setAttribute("aria-busy", "true");
          current.t0 = performance.now();
          var my = ++seq;
          render(current, my, true).catch(function (e) { failed(my, e); });
        });
        lb.appendChild(cb);
        lb.appendChild(document.createTextNode(" " + (k === "kind" ? PLURAL[v] || v : v) + " (" + m.get(v) + ")"));
        fs.appendChild(lb);
      });
      facetBox.appendChild(fs);
    });
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(true); }, 60);
  });
  (pageList ? document.getElementById("search-form") : form).addEventListener("submit", function (ev) {
    if (!pageList) return; // the header form goes to the search page
    ev.preventDefault();
    clearTimeout(timer);
    run(false);
  });
  // One page at a time: a second click while the next page loads (a double
  // click) would show that page twice.
  var paging = false;
  if (more) more.addEventListener("click", function () {
    if (!current || paging) return;
    paging = true;
    var my = seq;
    render(current, my, false).then(function () { paging = false; }, function (e) { paging = false; failed(my, e); });
  });
  // Keyboard: arrows move between the box and the results; Enter follows
  // the focused link (the browser's own behaviour); Escape closes the panel.
  document.addEventListener("keydown", function (ev) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (document.activeElement !== input && at < 0) return;
      if (panel && panel.hidden) { // closed by Escape: the arrow opens it again
        if (ev.key === "ArrowDown" && list.firstChild) { ev.preventDefault(); panel.hidden = false; }
        return;
      }
      var next = ev.key === "ArrowDown" ? at + 1 : at - 1;
      if (next >= links.length) return;
      ev.preventDefault();
      (next < 0 ? input : links[next]).focus();
    } else if (ev.key === "Escape" && panel && !panel.hidden) {
      // Escape in a search field also empties it (Chrome, Safari), and the
      // emptied box would clear the results a moment later: this Escape
      // only closes the panel. The next one, the panel closed, empties the
      // box as the browser does.
      ev.preventDefault();
      // Focus first, then close: focusing the box from a result opens the
      // panel again (its focus handler), so the other order left the panel
      // open after Escape on a result.
      input.focus();
      panel.hidden = true;
    }
  });
  if (panel) {
    form.addEventListener("focusout", function (ev) { if (!form.contains(ev.relatedTarget)) panel.hidden = true; });
    input.addEventListener("focus", function () { if (list.firstChild) panel.hidden = false; });
  }
  open().catch(function () {}); // fetch the root while the reader types
  if (pageList) {
    var q0 = new URLSearchParams(location.search).get("q");
    if (q0) { input.value = q0; run(false); }
  } else if (input.value.trim()) {
    run(true);
  }
})();
