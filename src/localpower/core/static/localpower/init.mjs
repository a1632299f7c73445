// Starts GOV.UK Frontend components (error summary focus, character counts, radios with conditional content).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
document.body.addEventListener("htmx:afterSwap", (event) => initAll({ scope: event.target }));
