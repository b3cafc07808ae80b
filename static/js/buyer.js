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

// After-sale form: the chosen item decides which types are offered (its option lists
// them in data-types) and the refund filled in: what is still refundable, pro rata to
// the quantity asked for. The server checks everything again.
(function () {
  const form = document.querySelector("[data-aftersale-form]");
  if (!form) return;
  const item = form.elements.item;
  const type = form.elements.type;
  const quantity = form.elements.quantity;
  const amount = form.elements.amount;
  const EXCHANGE = "3";
  function chosen() { return item.options[item.selectedIndex]; }
  function fillAmount() {
    const option = chosen();
    const units = Number(option.dataset.units);
    const refundable = Math.round(Number(option.dataset.refundable) * 100);
    const wanted = Math.min(Math.max(Number(quantity.value) || 0, 0), units);
    const fen = wanted >= units ? refundable : Math.floor((refundable * wanted) / units);
    amount.value = type.value === EXCHANGE ? "" : (fen / 100).toFixed(2);
  }
  function offerTypes() {
    const allowed = chosen().dataset.types.split(" ");
    Array.from(type.options).forEach(function (o) {
      o.hidden = o.disabled = !allowed.includes(o.value);
    });
    if (type.selectedOptions[0].disabled) type.value = allowed[0];
  }
  item.addEventListener("change", function () {
    offerTypes();
    quantity.value = chosen().dataset.units;
    fillAmount();
  });
  quantity.addEventListener("input", fillAmount);
  type.addEventListener("change", fillAmount);
  offerTypes();
})();
