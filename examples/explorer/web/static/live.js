// The live block list: new blocks arrive as Server-Sent Events from the explorer (which
// follows the node's push channel) and are prepended to the table. No framework.
(function () {
  "use strict";
  var body = document.getElementById("latest");
  var status = document.getElementById("live-status");
  if (!body || !window.EventSource) { return; }
  var maxRows = 20;
  function setStatus(state, text) {
    status.setAttribute("data-state", state);
    status.textContent = text;
  }
  function cell(row, child) {
    var td = document.createElement("td");
    td.appendChild(child);
    row.appendChild(td);
    return td;
  }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }
  function add(b) {
    var top = body.rows.length ? Number(body.rows[0].getAttribute("data-height")) : -1;
    if (top >= 0 && b.height > top + 1) {
      // Blocks were missed (the stream drops what a slow page does not read): reload
      // rather than show a list with a hole in it.
      window.location.reload();
      return;
    }
    if (body.querySelector('tr[data-height="' + b.height + '"]')) {
      // A reorganization replaced this height: drop the old row and everything above it.
      var rows = body.querySelectorAll("tr");
      for (var i = 0; i < rows.length; i++) {
        if (Number(rows[i].getAttribute("data-height")) >= b.height) { rows[i].remove(); }
      }
    }
    var empty = document.getElementById("latest-empty");
    if (empty) { empty.remove(); }
    var tr = document.createElement("tr");
    tr.setAttribute("data-height", String(b.height));
    tr.className = "new";
    cell(tr, link("/block/" + b.height, String(b.height)));
    cell(tr, link("/block/" + b.hash, b.hash.slice(0, 10) + "\u2026" + b.hash.slice(54))).className = "hash";
    cell(tr, document.createTextNode(formatTime(b.time))).className = "t";
    cell(tr, document.createTextNode(String(b.txs)));
    body.insertBefore(tr, body.firstChild);
    while (body.rows.length > maxRows) { body.deleteRow(body.rows.length - 1); }
  }
  // The same form as the server's: "2006-01-02 15:04:05 UTC".
  function formatTime(s) {
    if (!(s > 0)) { return ""; }
    return new Date(s * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }
  var opened = false;
  var es = new EventSource("/events");
  es.addEventListener("open", function () {
    if (opened) {
      // Reconnected: blocks may have been missed while away; reload the list honestly.
      window.location.reload();
      return;
    }
    opened = true;
    setStatus("on", "live");
  });
  es.addEventListener("error", function () { setStatus("off", "live: reconnecting"); });
  es.addEventListener("block", function (ev) {
    var b;
    try { b = JSON.parse(ev.data); } catch (e) { return; }
    if (typeof b.height !== "number" || typeof b.hash !== "string") { return; }
    add(b);
  });
})();
