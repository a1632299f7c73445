// Ranking questions: each option has a "position" select (works without JavaScript; the server checks that
// positions are unique). With JavaScript, choosing a position another option already has swaps the two, so
// people do not have to clear the other one first.
for (const group of document.querySelectorAll("[data-lp-ranking]")) {
  const selects = [...group.querySelectorAll("select")];
  for (const select of selects) {
    select.dataset.previous = select.value;
    select.addEventListener("change", () => {
      const chosen = select.value;
      if (chosen) {
        for (const other of selects) {
          if (other !== select && other.value === chosen) {
            other.value = select.dataset.previous || "";
            other.dataset.previous = other.value;
          }
        }
      }
      select.dataset.previous = chosen;
    });
  }
}
