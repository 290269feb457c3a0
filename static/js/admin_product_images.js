/* Admin product page: thumbnails, try-on analysis and landmarks of the images update by
   themselves (polling images/status/ beside the change URL) until every image is final. No CDN. */
(function () {
  "use strict";
  var DELAY = 2000;

  function statusUrl() {
    var match = window.location.pathname.match(/^(.*\/)change\/$/);
    return match ? match[1] + "images/status/" : null;
  }

  function escapeText(node, text) { node.textContent = text; }

  function apply(image) {
    var thumb = document.querySelector('[data-image-thumb="' + image.id + '"]');
    if (thumb && image.thumbnail_url && !thumb.querySelector("img")) {
      thumb.textContent = "";
      thumb.removeAttribute("style");
      var img = document.createElement("img");
      img.src = image.thumbnail_url;
      img.alt = "Thumbnail";
      img.style.height = "96px";
      img.style.borderRadius = "4px";
      thumb.appendChild(img);
    }
    var analysis = document.querySelector('[data-image-analysis="' + image.id + '"]');
    if (analysis) {
      analysis.setAttribute("data-status", image.analysis_status);
      analysis.textContent = "";
      var label = document.createElement("b");
      escapeText(label, image.analysis_label);
      var reason = document.createElement("small");
      escapeText(reason, " " + (image.analysis_reason || ""));
      analysis.appendChild(label);
      analysis.appendChild(reason);
    }
    var landmarks = document.querySelector('[data-image-landmarks="' + image.id + '"]');
    if (landmarks) escapeText(landmarks, image.landmarks);
  }

  function tick(url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        var open = 0;
        data.images.forEach(function (image) {
          apply(image);
          if (!image.final) open += 1;
        });
        if (open) window.setTimeout(function () { tick(url); }, DELAY);
      })
      .catch(function () { window.setTimeout(function () { tick(url); }, DELAY * 3); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var url = statusUrl();
    if (!url || !document.querySelector("[data-image-thumb], [data-image-analysis]")) return;
    tick(url);
  });
})();
