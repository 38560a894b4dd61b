// Loaded first on every page: styles may tell pages with scripts from pages without (no inline script: CSP).
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
