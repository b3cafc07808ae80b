// Buyer pages: count down to the pay deadline ([data-countdown] holds an ISO time).
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function tick(el) {
    const left = Math.floor((new Date(el.dataset.countdown) - Date.now()) / 1000);
    if (left <= 0) {
      el.textContent = el.dataset.expired;
      document.querySelectorAll("[data-pay-form] button[type=submit]").forEach(function (b) { b.disabled = true; });
      return false;
    }
    el.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    return true;
  }
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    if (tick(el)) {
      const timer = setInterval(function () { if (!tick(el)) clearInterval(timer); }, 1000);
    }
  });
})();
