// Sort and filter for long tables (class "interactive", set by report.lua), inlined by
// report.html when the report has one. Plain JavaScript, no library and no network: the report
// stays self-contained and works offline. Without JavaScript the tables are ordinary tables.
// (No dollar signs in this file: it is a pandoc template partial.)
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  // A number from a cell ("1,296", "89.0", "-3"), or null for text, "c" (suppressed) or blank.
  function cellNumber(text) {
    var clean = text.replace(/,/g, "").replace(/%/g, "");
    if (clean === "" || isNaN(Number(clean))) { return null; }
    return Number(clean);
  }

  function isNumericColumn(header) {
    var align = (header.getAttribute("style") || "") + " " + header.className;
    return /right/.test(align) || /\bnum\b/.test(align);
  }

  function enhance(table, number) {
    var body = table.tBodies[0];
    var head = table.tHead;
    if (!body || !head || !head.rows.length) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var original = rows.slice();
    var headers = Array.prototype.slice.call(head.rows[head.rows.length - 1].cells);
    var caption = table.caption ? table.caption.textContent.trim() : "table " + number;

    var tools = document.createElement("div");
    tools.className = "table-tools";
    var id = "table-filter-" + number;
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Filter rows";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("aria-describedby", id + "-status");
    input.setAttribute("aria-controls", table.id || "");
    var status = document.createElement("p");
    status.id = id + "-status";
    status.className = "table-status";
    status.setAttribute("aria-live", "polite");
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " (" + caption + ")";
    label.appendChild(hint);
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(status);
    var anchor = table.parentNode.classList.contains("table-wrap") ? table.parentNode : table;
    anchor.parentNode.insertBefore(tools, anchor);

    function showCount() {
      var shown = rows.filter(function (row) { return !row.hidden; }).length;
      status.textContent = "Showing " + shown + " of " + rows.length + " rows. "
        + "Select a column heading to sort.";
    }

    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
      showCount();
    });

    headers.forEach(function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      var numeric = isNumericColumn(header);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var keyed = original.map(function (row, position) {
          var text = cellText(row, index);
          return { row: row, text: text, value: numeric ? cellNumber(text) : null,
                   position: position };
        });
        keyed.sort(function (a, b) {
          var order = 0;
          if (numeric) {
            // Suppressed ("c") and blank cells go last in either direction.
            if (a.value === null || b.value === null) {
              order = (a.value === null) - (b.value === null);
              return order || a.position - b.position;
            }
            order = a.value - b.value;
          } else {
            order = a.text.localeCompare(b.text, "en-GB", { numeric: true });
          }
          if (!ascending) { order = -order; }
          return order || a.position - b.position;
        });
        rows = keyed.map(function (item) { return item.row; });
        rows.forEach(function (row) { body.appendChild(row); });
        showCount();
      });
    });
    table.classList.add("is-interactive");
    showCount();
  }

  function start() {
    var tables = document.querySelectorAll("table.interactive");
    Array.prototype.forEach.call(tables, function (table, i) { enhance(table, i + 1); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
