// Tagging written answers with htmx: keep the keyboard focus in the answer's tags after they are swapped in.
// Adding a tag keeps focus on the same input (htmx restores it by id); removing one takes away the button
// that had focus, so focus moves to the answer's "Add a tag" input instead of the top of the page.
let lastBlock = null;

document.body.addEventListener("htmx:beforeRequest", (event) => {
  const block = event.target.closest(".lp-answer-tags");
  lastBlock = block ? block.id : null;
});

document.body.addEventListener("htmx:afterSettle", () => {
  if (!lastBlock) return;
  const active = document.activeElement;
  if (!active || active === document.body) {
    const input = document.querySelector(`#${CSS.escape(lastBlock)} input[name="name"]`);
    if (input) input.focus();
  }
  lastBlock = null;
});
