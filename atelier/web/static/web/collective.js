/* A collective's page: join or leave (POST /api/collectives/{id}/join/ or leave/), then
   show the page again as it now is. */
(function () {
  "use strict";

  var root = document.getElementById("collective");
  if (!root) return;
  var errorBox = document.getElementById("collective-error");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function act(button, url, failure) {
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      })
        .then(function (res) {
          if (!res.ok) throw new Error("HTTP " + res.status);
          window.location.reload();
        })
        .catch(function () {
          button.disabled = false;
          errorBox.textContent = failure;
          errorBox.hidden = false;
        });
    });
  }

  var join = document.getElementById("join-collective");
  if (join) act(join, root.dataset.joinUrl, "You could not join this collective.");
  var leave = document.getElementById("leave-collective");
  if (leave) act(leave, root.dataset.leaveUrl, "Leaving did not work. Try again.");
})();
