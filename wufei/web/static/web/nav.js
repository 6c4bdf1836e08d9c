// The "More" menu of the top bar is a plain <details>: it opens and closes without this script.
// This only closes it the way menus are expected to close: on Escape, and on a click elsewhere.
(function () {
  "use strict";
  function openMenus() {
    return document.querySelectorAll("details.navmore[open]");
  }
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openMenus().forEach(function (menu) {
      var focusWasInside = menu.contains(document.activeElement);
      menu.open = false;
      if (focusWasInside) menu.querySelector("summary").focus();
    });
  });
})();
