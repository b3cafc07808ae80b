// Small behaviours shared by every console page; pages stay server-rendered.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  if (event.target.matches("[data-dismiss]")) event.target.closest("li").remove();
  if (event.target.closest("[data-nav-toggle]")) {
    document.querySelector("[data-nav]").classList.toggle("is-open");
  }
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
