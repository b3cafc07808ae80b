// 导出订单: "全选" / "全不选" for the column chooser.
document.addEventListener("click", (event) => {
  const which = event.target.dataset && event.target.dataset.columns;
  if (!which) return;
  event.target
    .closest("fieldset")
    .querySelectorAll('input[type=checkbox][name="columns"]')
    .forEach((box) => {
      box.checked = which === "all";
    });
});
