// Popover previews: hovering or focusing a link to an article, person,
// organisation, place, topic, claim or timeline event shows, after a short
// delay, a card of it (built by dossier into the page's JSON data block
// #dossier-previews; nothing is fetched). Escape, moving away or moving
// focus closes it. Touch gets no previews: a tap follows the link. The card
// is a role=tooltip the link is aria-describedby while it shows; it never
// takes focus. Content is set as text only.
(() => {
  "use strict";
  const data = document.getElementById("dossier-previews");
  if (!data || !window.URL) return;
  let cards;
  try {
    cards = JSON.parse(data.textContent);
  } catch {
    return;
  }
  const SHOW_DELAY = 350; // ms of hover or focus before the card shows
  const HIDE_DELAY = 250; // ms to move the pointer from the link onto the card
  const card = document.createElement("div");
  card.id = "dossier-preview";
  card.className = "preview";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  (document.querySelector("main") || document.body).append(card);

  let link = null; // the link the card shows
  let pending = null; // the link the card is about to show
  let dismissed = null; // the link whose card Escape closed: not again until left
  let described = null; // the link's aria-describedby before
  let showTimer = 0;
  let hideTimer = 0;
  let pointerAt = 0; // last pointer press: focus that follows it is not keyboard focus

  const keyOf = (a) => {
    if (a.closest("svg, .preview")) return null;
    const href = a.getAttribute("href");
    if (!href || href.startsWith("#")) return null;
    let u;
    try {
      u = new URL(href, location.href);
    } catch {
      return null;
    }
    if (u.origin !== location.origin) return null;
    let path = u.pathname;
    try {
      path = decodeURI(path);
    } catch {}
    for (const p of [u.pathname, path]) {
      if (u.hash && cards[p + u.hash]) return p + u.hash;
      if (cards[p] && p !== location.pathname) return p;
    }
    return null;
  };

  const para = (cls, text) => {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    card.append(p);
  };

  const place = (a) => {
    const r = a.getClientRects()[0] || a.getBoundingClientRect();
    const docW = document.documentElement.clientWidth;
    const w = card.offsetWidth;
    const h = card.offsetHeight;
    let x = Math.min(r.left, docW - w - 8);
    x = Math.max(8, x);
    let y = r.bottom + 6;
    if (y + h > window.innerHeight && r.top - h - 6 > 0) y = r.top - h - 6;
    card.style.left = Math.round(x + window.scrollX) + "px";
    card.style.top = Math.round(y + window.scrollY) + "px";
  };

  const show = (a, key) => {
    hide();
    const [meta, title, text] = cards[key];
    card.replaceChildren();
    para("preview-meta", meta);
    para("preview-title", title);
    if (text) para("preview-text", text);
    link = a;
    described = a.getAttribute("aria-describedby");
    a.setAttribute("aria-describedby", described ? described + " " + card.id : card.id);
    card.hidden = false;
    place(a);
  };

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    pending = null;
    if (!card.hidden && link) {
      if (described) link.setAttribute("aria-describedby", described);
      else link.removeAttribute("aria-describedby");
    }
    card.hidden = true;
    link = null;
  }

  const schedule = (a) => {
    const key = keyOf(a);
    if (!key || a === dismissed) return;
    clearTimeout(hideTimer);
    if ((a === link && !card.hidden) || a === pending) return;
    clearTimeout(showTimer);
    pending = a;
    showTimer = setTimeout(() => {
      pending = null;
      show(a, key);
    }, SHOW_DELAY);
  };

  const later = () => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  };

  document.addEventListener("pointerover", (e) => {
    if (e.pointerType !== "mouse" && e.pointerType !== "pen") return;
    if (card.contains(e.target)) {
      clearTimeout(hideTimer);
      // A link crossed on the way to the card is not the one wanted: its
      // card, due SHOW_DELAY after, would replace the one the pointer is on.
      if (pending) {
        clearTimeout(showTimer);
        pending = null;
      }
      return;
    }
    const a = e.target.closest && e.target.closest("a[href]");
    if (a) schedule(a);
  });
  document.addEventListener("pointerout", (e) => {
    if (e.pointerType !== "mouse" && e.pointerType !== "pen") return;
    const to = e.relatedTarget;
    const from = e.target.closest && e.target.closest("a[href], .preview");
    if (!from || (to && (from.contains(to) || card.contains(to) || (link && link.contains(to))))) return;
    if (from === dismissed) dismissed = null;
    later();
  });
  document.addEventListener("pointerdown", () => {
    pointerAt = Date.now();
    hide();
  });
  document.addEventListener("focusin", (e) => {
    if (Date.now() - pointerAt < 800) return; // focus by a click or tap
    const a = e.target.closest && e.target.closest("a[href]");
    if (a !== dismissed) dismissed = null;
    if (a) schedule(a);
  });
  document.addEventListener("focusout", (e) => {
    if (e.target === link || e.target === pending) hide();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || (card.hidden && !pending)) return;
    dismissed = link || pending;
    hide();
  });
  window.addEventListener("resize", hide);
})();
