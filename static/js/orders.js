// 订单管理: "全选本页" ticks every order checkbox of the bulk form on the page.
document.addEventListener("change", (event) => {
  const name = event.target.dataset.checkAll;
  if (!name) return;
  document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => {
    box.checked = event.target.checked;
  });
});
