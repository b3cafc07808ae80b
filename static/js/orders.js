// 订单管理: "全选本页" ticks every order checkbox of the bulk form on the page.
document.addEventListener("change", (event) => {
  const name = event.target.dataset.checkAll;
  if (!name) return;
  document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => {
    box.checked = event.target.checked;
  });
});

// On a phone the filter panel starts folded under 筛选 (with how many are set), unless
// a filter has an error to show.
document.querySelectorAll("[data-fold-on-phone]").forEach((fold) => {
  const active = Array.from(fold.querySelectorAll(".o-field input, .o-field select")).filter(
    (field) => field.value && field.name !== "sort" && field.name !== "size",
  ).length;
  fold.querySelector("[data-active-filters]").textContent = active ? `(${active})` : "";
  if (window.matchMedia("(max-width: 768px)").matches && !fold.querySelector(".has-error")) {
    fold.open = false;
  }
});
