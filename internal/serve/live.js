// dossier serve: live reload. Injected by the preview server only, never in
// `dossier build` output. No inline code, so it works under a strict CSP.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__dossierLive) return;
  window.__dossierLive = true;
  var gen = me.getAttribute("data-gen") || "";
  var KEY = "dossier:scroll";
  var OVERLAY = "__dossier-overlay";

  // Scroll position saved before a reload.
  function restoreScroll() {
    var s;
    try { s = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return; }
    if (!s || s.path !== location.pathname) return;
    window.scrollTo(s.x, s.y);
  }
  restoreScroll();
  window.addEventListener("load", function () {
    restoreScroll();
    try { sessionStorage.removeItem(KEY); } catch (e) {}
  });

  function reload() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    location.reload();
  }

  // Stylesheets: old URL path -> new URL path.
  function swapCSS(map) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i], u;
      try { u = new URL(link.href, location.href); } catch (e) { continue; }
      if (u.origin !== location.origin || !Object.prototype.hasOwnProperty.call(map, u.pathname)) continue;
      var next = new URL(map[u.pathname], location.href);
      if (next.pathname === u.pathname) next.searchParams.set("dossier", String(Date.now()));
      var fresh = link.cloneNode(false);
      fresh.href = next.href;
      fresh.addEventListener("load", (function (old) { return function () { old.remove(); }; })(link));
      fresh.addEventListener("error", (function (old) { return function () { old.remove(); }; })(link));
      link.parentNode.insertBefore(fresh, link.nextSibling);
    }
  }

  function hideOverlay() {
    var el = document.getElementById(OVERLAY);
    if (el) el.remove();
  }

  function showOverlay(problems) {
    hideOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:80vh;overflow:auto;" +
      "box-sizing:border-box;margin:0;padding:1em 1.25em;background:#1b1b1b;color:#fff;" +
      "border-bottom:6px solid #ff5c5c;font:16px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "text-align:left;box-shadow:0 4px 24px rgba(0,0,0,.5)";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 .5em;font-weight:bold;color:#ffb3b3;font-size:1.1em";
    // Generation "0" is the placeholder's: no build has succeeded yet.
    head.textContent = "Build failed: " + problems.length + (problems.length === 1 ? " problem" : " problems") +
      (gen === "0" ? ". Nothing was built yet: this page reloads by itself once they are fixed." :
        ". The page below is the last good build.");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.setAttribute("aria-label", "Hide the build errors");
    close.style.cssText = "float:right;margin-left:1em;font:inherit;color:#1b1b1b;background:#fff;border:0;padding:.2em .8em;cursor:pointer";
    close.addEventListener("click", hideOverlay);
    var list = document.createElement("ul");
    list.style.cssText = "margin:0;padding:0;list-style:none";
    for (var i = 0; i < problems.length; i++) {
      var li = document.createElement("li");
      li.className = "__dossier-problem";
      li.style.cssText = "margin:.25em 0;white-space:pre-wrap;overflow-wrap:anywhere";
      li.textContent = problems[i].text;
      list.appendChild(li);
    }
    box.appendChild(close);
    box.appendChild(head);
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }

  function parse(ev) {
    try { return JSON.parse(ev.data); } catch (e) { return {}; }
  }

  if (typeof EventSource !== "function") return;
  var url = new URL("events", me.src);
  url.searchParams.set("gen", gen);
  var es = new EventSource(url.href);
  es.addEventListener("reload", reload);
  es.addEventListener("css", function (ev) { swapCSS(parse(ev).map || {}); });
  es.addEventListener("error", function (ev) {
    // The EventSource's own "error" (connection lost) has no data; it retries by itself.
    if (typeof ev.data !== "string") return;
    showOverlay(parse(ev).problems || []);
  });
  es.addEventListener("ok", hideOverlay);
})();
