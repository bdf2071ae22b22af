/* Filters the decisions by year and category in the browser; without JavaScript the
   whole list shows and the filter stays hidden. */
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var list = document.getElementById("beslutninger");
  if (!form || !list) { return; }
  var year = document.getElementById("filter-aar");
  var category = document.getElementById("filter-kategori");
  var count = document.getElementById("filter-antal");
  function apply() {
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (li) {
      var match = (!year.value || li.getAttribute("data-aar") === year.value)
        && (!category.value || li.getAttribute("data-kategori") === category.value);
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = shown === 1 ? "1 beslutning" : shown + " beslutninger";
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  apply();
}());
