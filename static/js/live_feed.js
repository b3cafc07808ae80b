// 直播间实时订单: polls the feed's JSON (data-live-feed) every data-poll-ms with the
// cursor it was given, and puts each new paid order on top. An order can come back (any
// later change of it is logged), so the keys already shown are skipped.
(function () {
  "use strict";

  var SHOWN_MAX = 20; // lines on screen
  var KEYS_MAX = 2000; // keys remembered against repeats

  function start(root) {
    var url = root.getAttribute("data-live-feed");
    var every = parseInt(root.getAttribute("data-poll-ms"), 10) || 1500;
    var list = root.querySelector("[data-feed-orders]");
    var count = root.querySelector("[data-feed-count]");
    var explaining = root.querySelector("[data-feed-explaining]");
    var cursor = "";
    var stopped = false;
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

    function apply(data) {
      var first = cursor === "";
      data.orders.forEach(function (order) { addLine(order, !first); });
      if (data.count !== null && count) count.textContent = String(data.count);
      showExplaining(data.explaining);
      cursor = data.cursor;
    }

    function poll() {
      var address = url + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "");
      fetch(address, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          // 404: the link was rotated or the live deleted; this page has nothing to show.
          if (response.status === 404) stopped = true;
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(apply)
        // A lost connection or a restarting server: try again on the next tick.
        .catch(function () {})
        .then(function () { if (!stopped) window.setTimeout(poll, every); });
    }

    poll();
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
