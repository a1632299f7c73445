// After htmx swaps in the next statement, move focus to it so keyboard and screen reader users carry on
// from the new statement (without JavaScript, the form posts and the page reloads at #vote).
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "vote") return;
  const target = event.target.querySelector("#statement-text, .govuk-error-summary, .lp-vote-done, #vote-progress");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});
