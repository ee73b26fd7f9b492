// Small screens: the filter form starts folded so the results come first (unless it has errors).
(function () {
  "use strict";
  var box = document.querySelector(".filters-box");
  if (box && window.matchMedia("(max-width: 900px)").matches && !box.querySelector(".errorlist")) {
    box.open = false;
  }
})();
