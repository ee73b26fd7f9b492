// Small screens: the filter form starts folded so the results come first (unless it has errors).
(function () {
  "use strict";
  var box = document.querySelector(".filters-box");
  if (box && window.matchMedia("(max-width: 900px)").matches && !box.querySelector(".errorlist")) {
    box.open = false;
  }
})();

// A filter form leaves its empty fields out of the address, so shared links stay short.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) { return; }
  // Coming back to the page (history), the fields must work again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
  });
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && (field.type === "text" || field.type === "number" ||
          field.tagName === "SELECT") && !field.value) {
        field.disabled = true;
      }
    });
  });
})();
