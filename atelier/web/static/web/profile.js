/* A member's page: ask to be fellows (POST /api/fellows/requests/) and block
   (add them to blocked_users with PATCH /api/user/preferences/). */
(function () {
  "use strict";

  var root = document.getElementById("profile");
  if (!root) return;
  var userId = Number(root.dataset.userId);
  var errorBox = document.getElementById("profile-error");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function send(url, method, body) {
    var init = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.status === 204 ? null : res.json();
    });
  }

  function fail(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  var ask = document.getElementById("fellow-request");
  if (ask) {
    ask.addEventListener("click", function () {
      ask.disabled = true;
      send(root.dataset.requestsUrl, "POST", { user_id: userId })
        .then(function (relation) {
          var pill = document.createElement("span");
          pill.className = "pill";
          pill.id = "relation";
          pill.textContent = relation.status === "accepted" ? "Fellows" : "Fellow request sent";
          ask.replaceWith(pill);
        })
        .catch(function () {
          ask.disabled = false;
          fail("The request could not be sent. Try again.");
        });
    });
  }

  var block = document.getElementById("block-user");
  block.addEventListener("click", function () {
    if (!window.confirm("Block this member? You will no longer see each other's posts.")) return;
    block.disabled = true;
    var url = root.dataset.preferencesUrl;
    send(url, "GET")
      .then(function (prefs) {
        var blocked = (prefs.blocked_users || []).concat([userId]);
        return send(url, "PATCH", { blocked_users: blocked });
      })
      .then(function () {
        window.location.href = "/";
      })
      .catch(function () {
        block.disabled = false;
        fail("Blocking did not work. Try again.");
      });
  });
})();
