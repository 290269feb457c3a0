/* Try-on: cards and renders update themselves (polling a small JSON endpoint), and the
   "on me / original" toggle of the catalogue grid is remembered in localStorage. No CDN. */
(function () {
  "use strict";
  var VIEW_KEY = "tryon:view";
  var PENDING = { analysing: true, queued: true, running: true };
  var FAST = 1200;
  var SLOW = 5000;

  function applyView(view) {
    document.documentElement.setAttribute("data-tryon-view", view);
    document.querySelectorAll("[data-tryon-view]").forEach(function (button) {
      if (button.tagName !== "BUTTON") return;
      var on = button.getAttribute("data-tryon-view") === view;
      button.classList.toggle("is-active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function initToggle() {
    var stored = null;
    try { stored = window.localStorage.getItem(VIEW_KEY); } catch (e) { stored = null; }
    applyView(stored === "original" ? "original" : "me");
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-tryon-view]");
      if (!button) return;
      var view = button.getAttribute("data-tryon-view");
      try { window.localStorage.setItem(VIEW_KEY, view); } catch (e) { /* private mode */ }
      applyView(view);
    });
  }

  function initTabs() {
    document.addEventListener("click", function (event) {
      var tab = event.target.closest("[data-tryon-tab]");
      if (!tab) return;
      var name = tab.getAttribute("data-tryon-tab");
      var root = tab.closest(".tryon-product");
      root.querySelectorAll("[data-tryon-tab]").forEach(function (t) {
        var on = t === tab;
        t.classList.toggle("is-active", on);
        t.setAttribute("aria-selected", on ? "true" : "false");
      });
      root.querySelectorAll("[data-tryon-pane]").forEach(function (pane) {
        var on = pane.getAttribute("data-tryon-pane") === name;
        pane.hidden = !on;
        pane.classList.toggle("is-active", on);
      });
    });
  }

  function setImage(holder, url, alt) {
    if (!url) return;
    var img = holder.querySelector("img.tryon-render");
    if (img && img.getAttribute("src") === url) return;
    var next = new Image();
    next.className = "tryon-render is-entering";
    next.alt = alt || "On you";
    next.onload = function () {
      if (img) img.remove();
      holder.insertBefore(next, holder.firstChild);
      window.requestAnimationFrame(function () { next.classList.remove("is-entering"); });
    };
    next.src = url;
  }

  function noteFor(card) {
    if (PENDING[card.status]) return "pending";
    if (card.status === "done") return card.result_mode === "pose" ? "done-pose" : "done-tryon";
    return "unavailable";
  }

  function update(holder, card, big) {
    holder.setAttribute("data-status", card.status);
    var reason = holder.querySelector(".tryon-reason");
    if (reason) reason.textContent = card.reason || "";
    var alt = holder.getAttribute("data-alt") || "";
    if (card.result_mode === "pose") alt = alt.replace(/ on you$/, " on the model, in your pose");
    if (card.status === "done") setImage(holder, big ? card.image_url : card.card_url, alt);
    // The product page says what its main picture really is (rendered, the model in your pose, or not).
    var section = holder.closest(".tryon-product");
    if (section && holder.closest('[data-tryon-pane="tryon"]')) {
      section.setAttribute("data-note", noteFor(card));
      section.setAttribute("data-needs", card.needs || "");
    }
    var text = holder.querySelector(".tryon-mark-text");
    if (text) text.textContent = card.status === "analysing" ? "Analysing" : "On you soon";
  }

  function pendingIn(selector, attr) {
    var ids = [];
    document.querySelectorAll(selector).forEach(function (el) {
      if (PENDING[el.getAttribute("data-status")]) ids.push(el.getAttribute(attr));
    });
    return ids;
  }

  function pollUrl() {
    var el = document.querySelector("[data-poll-url]");
    return el ? el.getAttribute("data-poll-url") : null;
  }

  function progressOpen() {
    var done = document.getElementById("tryon-done");
    var total = document.getElementById("tryon-total");
    var bar = document.getElementById("tryon-bar");
    if (!done || !total || !bar) return false;
    return bar.getAttribute("data-finished") !== "true";
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  function showHidden(id, on) {
    var el = document.getElementById(id);
    if (el) el.hidden = !on;
  }

  function showProgress(p, state) {
    // "22 of 24 on you, 2 shown as product photos": done + as_product_photos + pending = total.
    setText("tryon-done", p.done);
    setText("tryon-total", p.total);
    setText("tryon-as-photos-count", p.as_product_photos);
    setText("tryon-as-photos-word", p.as_product_photos === 1 ? "photo" : "photos");
    showHidden("tryon-as-photos", p.as_product_photos > 0);
    showHidden("tryon-complete", p.complete);
    setText("tryon-fix-count", p.needs_full_body);
    showHidden("tryon-fix", p.needs_full_body > 0);
    var fill = document.getElementById("tryon-meter-fill");
    var other = document.getElementById("tryon-meter-other");
    if (fill && p.total) fill.style.width = Math.round(100 * p.done / p.total) + "%";
    if (other && p.total) other.style.width = Math.round(100 * p.as_product_photos / p.total) + "%";
    var bar = document.getElementById("tryon-bar");
    if (bar) {
      bar.setAttribute("data-finished", p.complete ? "true" : "false");
      bar.setAttribute("data-state", state);
    }
    setText("tryon-note", state === "analysing" ? "Analysing your photo…" : "");
  }

  function schedule(delay) { window.setTimeout(tick, delay); }

  function tick() {
    var url = pollUrl();
    if (!url) return;
    var cards = pendingIn(".tryon-layer[data-tryon-product]", "data-tryon-product");
    var renders = pendingIn(".tryon-frame[data-tryon-render]", "data-tryon-render");
    var waitingFrames = document.querySelectorAll(".tryon-frame:not([data-tryon-render])[data-status=analysing]").length;
    if (!cards.length && !renders.length && !waitingFrames && !progressOpen()) return;
    var query = "?ids=" + cards.join(",") + "&renders=" + renders.join(",");
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { schedule(SLOW); return; }
        (data.cards || []).forEach(function (card) {
          var holder = document.querySelector('.tryon-layer[data-tryon-product="' + card.product_id + '"]');
          if (holder) update(holder, card, false);
        });
        (data.renders || []).forEach(function (card) {
          document.querySelectorAll('.tryon-frame[data-tryon-render="' + card.id + '"]').forEach(function (holder) {
            update(holder, card, holder.classList.contains("tryon-frame-big"));
          });
        });
        if (data.progress) showProgress(data.progress, data.state);
        if (waitingFrames && data.state === "ready" && !renders.length) { window.location.reload(); return; }
        var stillPending = pendingIn(".tryon-layer[data-tryon-product]", "data-tryon-product").length +
          pendingIn(".tryon-frame[data-tryon-render]", "data-tryon-render").length;
        schedule(stillPending ? FAST : SLOW);
      })
      .catch(function () { schedule(SLOW); });
  }

  function watchPhotoChecks() {
    // The photos page: reload once while a photo is still being checked.
    var checking = document.querySelector('.tryon-findings[data-analysis-status="pending"], ' +
      '.tryon-findings[data-analysis-status="running"], .tryon-findings[data-analysis-status="none"]');
    if (checking) window.setTimeout(function () { window.location.reload(); }, 2500);
  }

  function visit() {
    // The page's visit is a POST (a GET never writes): this page's cards are made first, and the
    // product page asks for "the model in my pose". Polling starts once it is answered.
    var el = document.querySelector("[data-visit-url]");
    if (!el) { schedule(FAST); return; }
    var body = new URLSearchParams();
    body.set("ids", el.getAttribute("data-visit-ids") || "");
    body.set("pose", el.getAttribute("data-visit-pose") || "");
    fetch(el.getAttribute("data-visit-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": el.getAttribute("data-csrf") || "" },
      body: body
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var frame = document.querySelector('[data-tryon-pane="pose"] .tryon-frame');
        if (data && data.pose && frame) {
          frame.setAttribute("data-tryon-render", data.pose.id);
          update(frame, data.pose, true);
        }
        var main = document.querySelector('[data-tryon-pane="tryon"] .tryon-frame:not([data-tryon-render])');
        if (data && data.card && main) {
          main.setAttribute("data-tryon-render", data.card.id);
          update(main, data.card, true);
        }
        if (data && data.pose_error) setText("tryon-pose-error", data.pose_error);
        schedule(FAST);
      })
      .catch(function () { schedule(SLOW); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initToggle();
    initTabs();
    watchPhotoChecks();
    visit();
  });
})();
