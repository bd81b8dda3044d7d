/* Loaded in <head>, without defer, so it runs before the page is painted: the theme the
 * reader chose with the top bar's toggle (site.js stores it) goes on <html> as data-theme,
 * and the page never flashes the other one. No choice stored: nothing is set, and the
 * stylesheet follows the system's prefers-color-scheme. A file, not an inline script:
 * the Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";
  try {
    var theme = window.localStorage.getItem("atelier-theme");
    if (theme === "light" || theme === "dark") {
      document.documentElement.setAttribute("data-theme", theme);
    }
  } catch (error) {
    // Storage refused (a privacy mode): the system's preference rules.
  }
})();
