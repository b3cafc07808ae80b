// 直播间实时订单: listens to the feed's Server-Sent Events (data-live-feed) and puts each
// new paid order on top. The first event is the state when the page opened; each event's
// id is a cursor, so EventSource's own reconnect resumes without a gap. An order can
// come back (any later change of it is logged), so the keys already shown are skipped.
(function () {
  "use strict";

  var SHOWN_MAX = 20; // lines on screen
  var KEYS_MAX = 2000; // keys remembered against repeats
  var REOPEN_MS = [5000, 60000]; // after EventSource gave up: first wait, longest wait

  function start(root) {
    var url = root.getAttribute("data-live-feed");
    var list = root.querySelector("[data-feed-orders]");
    var count = root.querySelector("[data-feed-count]");
    var explaining = root.querySelector("[data-feed-explaining]");
    var cursor = "";
    var opened = false;
    var reopen = REOPEN_MS[0];
    var seen = [];
    var seenSet = {};

    function remember(key) {
      seenSet[key] = true;
      seen.push(key);
      if (seen.length > KEYS_MAX) delete seenSet[seen.shift()];
    }

    function addLine(order, fresh) {
      if (seenSet[order.key]) return;
      remember(order.key);
      var li = document.createElement("li");
      li.className = "live-order" + (fresh ? " is-new" : "");
      li.setAttribute("data-order-key", order.key);
      li.textContent = order.text;
      list.insertBefore(li, list.firstChild);
      while (list.children.length > SHOWN_MAX) list.removeChild(list.lastChild);
    }

    function showExplaining(item) {
      if (!explaining) return;
      explaining.hidden = !item;
      if (!item) return;
      explaining.querySelector("[data-feed-explaining-title]").textContent = item.title;
      var stock = explaining.querySelector("[data-feed-stock]");
      stock.parentNode.hidden = item.stock === null;
      stock.textContent = item.stock === null ? "" : String(item.stock);
    }

    function apply(event) {
      var data = JSON.parse(event.data);
      data.orders.forEach(function (order) { addLine(order, opened); });
      if (data.count !== null && count) count.textContent = String(data.count);
      showExplaining(data.explaining);
      cursor = data.cursor;
      opened = true;
      reopen = REOPEN_MS[0];
    }

    function open() {
      var source = new EventSource(url + (cursor ? "?cursor=" + encodeURIComponent(cursor) : ""));
      source.onmessage = apply;
      source.onerror = function () {
        // A dropped connection: EventSource reconnects by itself (CONNECTING). An answer
        // that is not a stream (a 502 while the server restarts, a 404 once the link is
        // rotated) makes it give up (CLOSED): open a new one later, from the last cursor.
        if (source.readyState !== EventSource.CLOSED) return;
        window.setTimeout(open, reopen);
        reopen = Math.min(reopen * 2, REOPEN_MS[1]);
      };
    }

    open();
  }

  // 复制链接 on the live cart page: the button names the field it copies.
  function copy(event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy"));
    field.select();
    var done = function () { button.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand("copy")) {
      done();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-feed]").forEach(start);
  });
  document.addEventListener("click", copy);
})();
