// The style sheet and the script of the report page, inlined into it so the file is self-contained
// (no network, no files beside it). The script makes the videos table sortable (click a header;
// again to reverse) and filterable (a text box over each row's text, and a "failed only" toggle),
// and reads the same settings from the URL fragment — `#sort=probability:desc&filter=walk&failed=1`
// — so a link can open the page sorted and filtered. When it has set the table up it marks it
// `data-ready="1"`, records the order in `data-sort` and the number of rows shown in
// `data-visible`; hidden rows carry the `hidden` attribute. The script logs nothing to the console.

enum ReportAssets {
    static let css = """
        body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1400px; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 28px; }
        code { font-size: 12px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        table.kv th { width: 180px; }
        #video-table th { cursor: pointer; user-select: none; white-space: nowrap; }
        #video-table th[aria-sort=ascending]::after { content: " \\25B2"; }
        #video-table th[aria-sort=descending]::after { content: " \\25BC"; }
        tr[data-failed="1"] td { background: #fff0f0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .strip { display: flex; gap: 2px; flex-wrap: nowrap; }
        .strip img { height: 48px; border: 1px solid #ccc; }
        .placeholder { display: inline-block; width: 64px; height: 48px; background: #eee; color: #888;
            font-size: 11px; text-align: center; line-height: 48px; border: 1px dashed #bbb; }
        .note { color: #8a5a00; font-size: 12px; }
        ul.notes li { color: #555; }
        ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 12px; font-size: 13px; }
        .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
        .controls { margin: 8px 0; display: flex; gap: 16px; align-items: center; font-size: 13px; }
        .figures { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .ok { color: #2a7a2a; } .bad { color: #b00020; }
        """

    static let script = """
        (function () {
          "use strict";
          var table = document.getElementById("video-table");
          if (!table) { return; }
          var body = table.tBodies[0];
          var headers = table.tHead.rows[0].cells;
          var filter = document.getElementById("filter");
          var failedOnly = document.getElementById("failed-only");
          var shown = document.getElementById("shown");
          var current = { index: -1, descending: false };
          function value(row, index, type) {
            var cell = row.cells[index];
            var text = cell.getAttribute("data-value");
            if (text === null) { text = cell.textContent; }
            if (type === "number") {
              var number = parseFloat(text);
              return isNaN(number) ? -Infinity : number;
            }
            return text.toLowerCase();
          }
          function sortBy(index, descending) {
            var type = headers[index].getAttribute("data-type") || "text";
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = value(a, index, type), y = value(b, index, type);
              var order = x < y ? -1 : (x > y ? 1 : 0);
              return descending ? -order : order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
            for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
            headers[index].setAttribute("aria-sort", descending ? "descending" : "ascending");
            table.setAttribute("data-sort", headers[index].getAttribute("data-key") + (descending ? ":desc" : ":asc"));
            current = { index: index, descending: descending };
          }
          function applyFilter() {
            var needle = filter.value.toLowerCase();
            var count = 0;
            Array.prototype.forEach.call(body.rows, function (row) {
              var visible = (needle === "" || row.textContent.toLowerCase().indexOf(needle) >= 0) &&
                (!failedOnly.checked || row.getAttribute("data-failed") === "1");
              row.hidden = !visible;
              if (visible) { count += 1; }
            });
            shown.textContent = count + " of " + body.rows.length + " shown";
            table.setAttribute("data-visible", String(count));
          }
          Array.prototype.forEach.call(headers, function (header, index) {
            header.addEventListener("click", function () {
              sortBy(index, current.index === index ? !current.descending : false);
            });
          });
          var params = {};
          window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
            if (pair === "") { return; }
            var at = pair.indexOf("=");
            var key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
            params[key] = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1));
          });
          if (params.filter) { filter.value = params.filter; }
          if (params.failed === "1") { failedOnly.checked = true; }
          if (params.sort) {
            var parts = params.sort.split(":");
            for (var i = 0; i < headers.length; i++) {
              if (headers[i].getAttribute("data-key") === parts[0]) { sortBy(i, parts[1] === "desc"); }
            }
          }
          filter.addEventListener("input", applyFilter);
          failedOnly.addEventListener("change", applyFilter);
          applyFilter();
          table.setAttribute("data-ready", "1");
        })();
        """
}
