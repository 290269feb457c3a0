(function () {
  var main = document.getElementById("gallery-main-image");
  if (!main) return;
  document.querySelectorAll(".gallery-thumb").forEach(function (button) {
    button.addEventListener("click", function () {
      main.src = button.dataset.full;
      document.querySelectorAll(".gallery-thumb").forEach(function (b) { b.classList.remove("is-active"); });
      button.classList.add("is-active");
    });
  });
})();
