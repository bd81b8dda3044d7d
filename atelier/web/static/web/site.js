/* Every page: placeholder colours, character counters, the phone menu and the light or
 * dark toggle. Each is an enhancement: without JavaScript the page still works (no colour
 * behind a loading picture, no counter, a menu that closes only when its button is pressed
 * again, the system's light or dark and no toggle). */
(function () {
  "use strict";

  // ---- Placeholder colours ---------------------------------------------------------------

  // The site's Content-Security-Policy (style-src 'self') blocks inline style attributes,
  // so a picture's placeholder colour travels in data-placeholder and is set through the
  // CSSOM, which the policy allows. A value that is not a colour (a blur hash) is ignored
  // by the browser.
  function paintPlaceholders(scope) {
    scope.querySelectorAll("[data-placeholder]").forEach(function (node) {
      node.style.backgroundColor = node.dataset.placeholder;
    });
  }

  // ---- Character counters ----------------------------------------------------------------

  // A field with data-counter and a maxlength shows how much of its limit is used; near the
  // limit (NEAR of it), a polite live region says how many characters are left, once per
  // step, so a screen reader is not interrupted at every key.
  var NEAR = 0.9;

  function remainingText(left) {
    if (left <= 0) return "Limit reached";
    return left === 1 ? "1 character left" : left + " characters left";
  }

  function addCounter(field) {
    var limit = Number(field.getAttribute("maxlength"));
    if (!limit || field.dataset.counted) return;
    field.dataset.counted = "true";
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = (field.id || field.name) + "-count";
    var shown = document.createElement("span");
    shown.className = "char-count-value";
    var spoken = document.createElement("span");
    spoken.className = "sr-only";
    spoken.setAttribute("aria-live", "polite");
    counter.append(shown, spoken);
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    var announced = null;
    function update() {
      var used = field.value.length;
      var left = Math.max(0, limit - used);
      var near = used >= NEAR * limit;
      shown.textContent = used.toLocaleString() + " / " + limit.toLocaleString();
      counter.classList.toggle("is-near", near);
      counter.classList.toggle("is-full", left === 0);
      // Announce in steps of a tenth of what remains near the limit (at least 1), and once
      // at the limit; nothing while far from it.
      var step = near ? Math.max(1, Math.round((limit * (1 - NEAR)) / 10)) : 0;
      var bucket = near ? (left === 0 ? -1 : Math.ceil(left / step)) : null;
      if (bucket !== announced) {
        announced = bucket;
        spoken.textContent = near ? remainingText(left) + " of " + limit.toLocaleString() : "";
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function addCounters(scope) {
    scope.querySelectorAll("textarea[data-counter], input[data-counter]").forEach(addCounter);
  }

  // ---- The phone menu --------------------------------------------------------------------

  // On phones the navigation folds into a <details> menu. Escape closes it (focus back on
  // its button), and so does a tap outside it.
  function wireMenu(menu) {
    var toggle = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        toggle.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }

  // ---- Focus kept across a form's reload -------------------------------------------------

  // A form marked data-keep-focus posts and reloads the page (the post page's reactions);
  // the button that sent it gets the focus back, so a keyboard user stays where they were.
  var FOCUS_KEY = "atelier:focus";

  function rememberFocus() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-keep-focus]")) return;
      try {
        window.sessionStorage.setItem(FOCUS_KEY, form.dataset.keepFocus);
      } catch (error) {
        /* storage off: the focus is simply not restored */
      }
    });
    var id;
    try {
      id = window.sessionStorage.getItem(FOCUS_KEY);
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) {
      return;
    }
    var target = id && document.getElementById(id);
    if (!target) return;
    // After the load: the browser's own scroll to the URL's #fragment resets the focus.
    function restore() {
      window.setTimeout(function () {
        target.focus({ preventScroll: true });
      }, 0);
    }
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore, { once: true });
  }

  // ---- Light or dark ---------------------------------------------------------------------

  // The top bar's toggle flips the theme and remembers the choice (theme.js applies it on
  // the next page before it paints). Until the reader chooses, the system's
  // prefers-color-scheme rules, and the toggle shows which one that is.
  var THEME_KEY = "atelier-theme";
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function currentTheme() {
    var chosen = document.documentElement.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return systemDark && systemDark.matches ? "dark" : "light";
  }

  function wireThemeToggle(button) {
    function show() {
      button.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(THEME_KEY, next);
      } catch (error) {
        /* storage off: the choice holds for this page only */
      }
      show();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", show);
    show();
    button.hidden = false;
  }

  paintPlaceholders(document);
  addCounters(document);
  document.querySelectorAll("[data-theme-toggle]").forEach(wireThemeToggle);
  document.querySelectorAll("details.navmenu").forEach(wireMenu);
  rememberFocus();

  window.Atelier = { paintPlaceholders: paintPlaceholders, addCounters: addCounters };
})();
