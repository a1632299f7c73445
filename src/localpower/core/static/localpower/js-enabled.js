// Marks the page as having JavaScript before GOV.UK Frontend's components start (see base template).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
