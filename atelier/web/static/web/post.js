/* The post page: asks before a comment or critique of mine is deleted, and puts the cursor
 * back in a refused comment, critique or content warning. The page's forms work without it. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // A refused form is answered at its own fragment (#comment-form), which scrolls it and
  // its error into view. Browsers skip `autofocus` on a page opened at a fragment, and
  // Chromium drops a focus given before the fragment is scrolled to (at load): so the field
  // is focused here, once loaded, without scrolling again.
  var refused = document.querySelector(
    ".remark-form textarea[aria-invalid='true'], .cw-edit-form input[aria-invalid='true']"
  );
  if (refused) {
    window.addEventListener("load", function () {
      refused.focus({ preventScroll: true });
    });
  }
})();
