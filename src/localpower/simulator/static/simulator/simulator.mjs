// Live totals for the budget simulator. The page works without this: "Update totals" sends the form and the
// server answers with the same numbers. Here, as a level is chosen, each service's new spend, its consequence
// text and the running total are worked out in the browser. The server checks everything again on sending.

const form = document.querySelector("[data-sim-form]");
const box = document.querySelector("[data-sim-totals]");

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });

function pounds(value) {
  const text = money.format(Math.abs(value));
  return Math.round(value) < 0 ? `−${text}` : text;
}

// Pounds to hundredths of a penny (integers), so that adding up does not suffer from floating point.
function units(text) {
  return Math.round(Number(text) * 10000);
}

function serviceChange(service) {
  const chosen = service.querySelector("input[type=radio]:checked");
  const pct = chosen ? Number(chosen.dataset.pct) : 0;
  return { chosen, change: (units(service.dataset.spend) * pct) / 100 };
}

function update() {
  let total = 0;
  for (const service of form.querySelectorAll("[data-sim-service]")) {
    const { chosen, change } = serviceChange(service);
    total += change;
    service.querySelector("[data-sim-new-spend]").textContent = pounds((units(service.dataset.spend) + change) / 10000);
    service.querySelector("[data-sim-change]").textContent = pounds(change / 10000);
    const consequence = service.querySelector("[data-sim-consequence]");
    const text = (chosen && chosen.dataset.consequence) || consequence.dataset.noneText;
    if (consequence.textContent !== text) consequence.textContent = text;
  }
  const current = units(box.dataset.current);
  const allowed = units(box.dataset.allowed);
  box.querySelector("[data-sim-total-new]").textContent = pounds((current + total) / 10000);
  box.querySelector("[data-sim-total-change]").textContent = pounds(total / 10000);
  const balanced = total <= allowed;
  const status = box.querySelector("[data-sim-status]");
  const gap = (total - allowed) / 10000;
  const text = balanced
    ? box.dataset.balancedText
    : box.dataset.gapText.replace("{gap}", gap >= 1 ? pounds(gap) : `£${gap.toFixed(2)}`);
  if (status.textContent !== text) status.textContent = text;
  box.classList.toggle("lp-sim-totals--balanced", balanced);
}

if (form && box) {
  form.addEventListener("change", update);
  // The totals update as choices change, so the button that asks the server for them is not needed.
  for (const button of document.querySelectorAll("[data-sim-update]")) button.hidden = true;
  update();
}
