/*
 * Sortable tables arrive sorted by the server, and the header of the column they are sorted by
 * says so with aria-sort. The USWDS table script, on load, sorts again by that column, and in
 * the opposite direction, then flips aria-sort to match: "highest score first" would show the
 * lowest first. So the attribute is set aside before USWDS starts (this file is loaded right
 * after uswds.min.js, while the page is still loading) and put back, with the labels USWDS
 * gives a sorted header, once it has added its sort buttons. Clicking a button sorts as USWDS
 * always does.
 */
(function () {
  "use strict";

  var serverSorted = [];
  document.querySelectorAll("th[data-sortable][aria-sort]").forEach(function (header) {
    serverSorted.push({ header: header, direction: header.getAttribute("aria-sort") });
    header.removeAttribute("aria-sort");
  });

  function columnCells(header) {
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var body = header.closest("table").querySelector("tbody");
    return Array.prototype.map.call(body.rows, function (row) {
      return row.children[index];
    });
  }

  function markSorted(entry) {
    var header = entry.header;
    var direction = entry.direction;
    var name = header.innerText.trim();
    var next = direction === "ascending" ? "descending" : "ascending";
    header.setAttribute("aria-sort", direction);
    header.setAttribute("aria-label", name + ", sortable column, currently sorted " + direction);
    var button = header.querySelector(".usa-table__header__button");
    if (button) {
      button.setAttribute("title", "Click to sort by " + name + " in " + next + " order.");
    }
    columnCells(header).forEach(function (cell) {
      if (cell) {
        cell.setAttribute("data-sort-active", "true");
      }
    });
  }

  function restore() {
    serverSorted.forEach(markSorted);
  }

  // USWDS starts on DOMContentLoaded; a listener added after its own runs after it.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore, { once: true });
  } else {
    restore();
  }
})();
