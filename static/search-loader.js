// Loads the search script only when a reader is about to search: on the
// first focus of the header's search box, or on "/" (which focuses it).
// Without JavaScript the box is a plain form that opens the search page.
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  function load() {
    var src = form.getAttribute("data-script");
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) if (scripts[i].getAttribute("src") === src) return;
    var s = document.createElement("script");
    s.src = src;
    document.head.appendChild(s);
  }
  input.addEventListener("focus", load);
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    var t = ev.target;
    // Not while typing; a checkbox or a button takes no text.
    if (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) || (t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type))) return;
    ev.preventDefault();
    (document.getElementById("q") || input).focus();
  });
})();
