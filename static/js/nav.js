/* The phone menu: one header line (brand + "Menu"); the button opens the navigation below it.
   Without JavaScript the navigation simply wraps, as on a wide screen. No CDN. */
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  document.documentElement.classList.add("has-menu-button");
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.documentElement.classList.toggle("menu-open", open);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
