// After htmx swaps in the next statement, move focus to it so keyboard and screen reader users carry on
// from the new statement (without JavaScript, the form posts and the page reloads at #vote).
const FOCUS_ORDER = [".govuk-error-summary", "#statement-text", ".lp-vote-done", "#vote-progress"];

document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id !== "vote") return;
  for (const selector of FOCUS_ORDER) {
    const target = event.target.querySelector(selector);
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
      return;
    }
  }
});
