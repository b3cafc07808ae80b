// 商品 pages: the SKU matrix editor (rows follow the specs; typed values are kept per
// combination), "fill down" for a column, and "select all" on the list.
(() => {
  const form = document.querySelector("[data-matrix-form]");
  if (form) {
    const body = form.querySelector("[data-sku-rows]");
    const template = form.querySelector("[data-row-template]");
    const count = form.querySelector("[data-sku-count]");
    const defaultLabel = form.querySelector("[data-default-label]").dataset.defaultLabel;

    const readSpecs = () => {
      const names = form.querySelectorAll("[data-spec-name]");
      const values = form.querySelectorAll("[data-spec-values]");
      const specs = [];
      names.forEach((input, i) => {
        const name = input.value.trim();
        const list = values[i].value.split(/[,，、\s]+/).filter(Boolean);
        if (name && list.length) specs.push([name, [...new Set(list)]]);
      });
      return specs;
    };

    const combinations = (specs) =>
      specs.reduce(
        (rows, [name, values]) => rows.flatMap((row) => values.map((v) => [...row, `${name}:${v}`])),
        [[]],
      ).map((parts) => parts.join(";"));

    const rebuild = () => {
      const typed = {};
      body.querySelectorAll("tr").forEach((tr) => {
        typed[tr.dataset.specText] = Object.fromEntries(
          [...tr.querySelectorAll("[data-col]")].map((input) => [input.dataset.col, input.value]),
        );
      });
      body.replaceChildren();
      combinations(readSpecs()).forEach((text, i) => {
        const row = template.content.firstElementChild.cloneNode(true);
        row.dataset.specText = text;
        row.querySelector("[data-label]").textContent = text || defaultLabel;
        row.querySelectorAll("[data-name]").forEach((input) => {
          input.name = `sku-${i}-${input.dataset.name}`;
          if (input.dataset.name === "spec_text") input.value = text;
          else input.value = (typed[text] || {})[input.dataset.name] || "";
        });
        body.appendChild(row);
      });
      count.value = body.children.length;
    };

    form.addEventListener("input", (event) => {
      if (event.target.matches("[data-spec-name], [data-spec-values]")) rebuild();
    });
    form.addEventListener("click", (event) => {
      const column = event.target.dataset.fill;
      if (!column) return;
      const inputs = [...body.querySelectorAll(`[data-col="${column}"]`)];
      if (inputs.length) inputs.slice(1).forEach((input) => (input.value = inputs[0].value));
    });
  }

  document.addEventListener("change", (event) => {
    if (!event.target.matches("[data-check-all]")) return;
    const table = event.target.closest("form");
    table.querySelectorAll('input[name="ids"]').forEach((box) => (box.checked = event.target.checked));
  });
})();
