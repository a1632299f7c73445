// Shows only the chosen option's extra questions under a set of radios (the GOV.UK conditional reveal).
//
// GOV.UK Frontend's own version also sets aria-expanded on each radio, which ARIA does not allow on radios
// (axe reports it as critical; govuk-frontend issue #979). This one only toggles the hidden class: the revealed
// questions come straight after their radio, so they are next in the reading order. Without JavaScript every
// option's questions are shown, and the server uses only those of the chosen option.
for (const group of document.querySelectorAll("[data-lp-conditional-radios]")) {
  const inputs = [...group.querySelectorAll('input[type="radio"]')];
  const sync = () => {
    for (const input of inputs) {
      const target = input.dataset.lpReveals && document.getElementById(input.dataset.lpReveals);
      if (target) {
        target.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
      }
    }
  };
  for (const input of inputs) {
    input.addEventListener("change", sync);
  }
  window.addEventListener("pageshow", sync);
  sync();
}
