/* The composer: each chosen file is uploaded at once (POST /api/media/) and shown as a
   preview (the server's thumbnail once it is back), with a field for its alt text and a
   reminder while that is empty; Publish saves the alt texts (PATCH /api/media/{id}/),
   creates the post with the uploaded media in the order shown (POST /api/posts/) and
   opens it. */
(function () {
  "use strict";

  var form = document.getElementById("composer");
  if (!form) return;
  var input = document.getElementById("id_files");
  var previews = document.getElementById("previews");
  var template = document.getElementById("preview-template");
  var errorBox = document.getElementById("composer-error");
  var publish = document.getElementById("publish");
  var maxMedia = Number(form.dataset.maxMedia);
  var items = []; // {id: media id or null while uploading, li, alt: the alt text field}
  var altCount = 0;
  var queue = Promise.resolve();

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  // DRF's {"field": ["message"]} or {"detail": "message"} as one sentence.
  function describe(body, fallback) {
    if (!body || typeof body !== "object") return fallback;
    var parts = [];
    Object.keys(body).forEach(function (key) {
      var value = body[key];
      parts.push(Array.isArray(value) ? value.join(" ") : String(value));
    });
    return parts.join(" ") || fallback;
  }

  function send(url, method, body, isForm) {
    var headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    if (!isForm && body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: isForm ? body : body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      if (res.status === 204) return { ok: true, status: 204, body: null };
      return res
        .json()
        .catch(function () {
          return null;
        })
        .then(function (json) {
          return { ok: res.ok, status: res.status, body: json };
        });
    });
  }

  function busy() {
    return items.some(function (item) {
      return item.id === null;
    });
  }

  function refreshButton() {
    publish.disabled = busy();
    publish.textContent = busy() ? "Uploading…" : "Publish";
  }

  function removeItem(item) {
    items = items.filter(function (other) {
      return other !== item;
    });
    item.li.remove();
    refreshButton();
    if (item.id) send(form.dataset.mediaUrl + item.id + "/", "DELETE");
  }

  function upload(file) {
    if (items.length >= maxMedia) {
      showError("At most " + maxMedia + " files per post.");
      return;
    }
    var li = template.content.firstElementChild.cloneNode(true);
    var img = li.querySelector("img");
    img.alt = file.name;
    if (file.type.indexOf("image/") === 0) img.src = URL.createObjectURL(file);
    var item = { id: null, li: li };
    items.push(item);
    previews.appendChild(li);
    li.querySelector(".remove-media").addEventListener("click", function () {
      removeItem(item);
    });
    refreshButton();
    var data = new FormData();
    data.append("file", file);
    // One upload at a time: a phone's connection is better spent finishing one.
    queue = queue.then(function () {
      return send(form.dataset.mediaUrl, "POST", data, true)
        .then(function (res) {
          if (!res.ok) {
            var why = res.status === 413 ? "is too large" : "was refused";
            showError(file.name + " " + why + ": " + describe(res.body, "try another file."));
            items = items.filter(function (other) {
              return other !== item;
            });
            li.remove();
            return;
          }
          item.id = res.body.id;
          li.dataset.mediaId = String(res.body.id);
          li.classList.remove("is-uploading");
          li.style.backgroundColor = res.body.placeholder;
          if (res.body.thumbnail_url) img.src = res.body.thumbnail_url;
          else img.alt = file.name + " (" + res.body.kind + ")";
          if (res.body.kind === "image") addAltField(item, file.name);
          if (!items.includes(item)) send(form.dataset.mediaUrl + item.id + "/", "DELETE");
        })
        .catch(function () {
          showError("Could not upload " + file.name + "; check your connection.");
          items = items.filter(function (other) {
            return other !== item;
          });
          li.remove();
        })
        .then(refreshButton);
    });
  }

  // An alt text field under a picture, with a gentle reminder while it is empty.
  function addAltField(item, name) {
    altCount += 1;
    var id = "alt-text-" + altCount;
    var label = document.createElement("label");
    label.className = "alt-text-field";
    label.htmlFor = id;
    label.textContent = "Describe this picture (alt text)";
    var field = document.createElement("textarea");
    field.id = id;
    field.className = "alt-text";
    field.rows = 2;
    field.maxLength = 1000;
    field.setAttribute("aria-describedby", id + "-reminder");
    var reminder = document.createElement("span");
    reminder.id = id + "-reminder";
    reminder.className = "alt-text-reminder";
    reminder.textContent =
      "No description yet: someone who cannot see " + name + " will only hear the title.";
    field.addEventListener("input", function () {
      reminder.hidden = field.value.trim() !== "";
    });
    label.appendChild(field);
    item.li.appendChild(label);
    item.li.appendChild(reminder);
    item.alt = field;
  }

  // Save every picture's alt text before the post is created (one PATCH each).
  function saveAltTexts() {
    return Promise.all(
      items
        .filter(function (item) {
          return item.alt && item.alt.value.trim();
        })
        .map(function (item) {
          return send(form.dataset.mediaUrl + item.id + "/", "PATCH", {
            alt_text: item.alt.value.trim(),
          });
        })
    ).then(function (answers) {
      var refused = answers.filter(function (res) {
        return !res.ok;
      })[0];
      if (refused) throw new Error(describe(refused.body, "An alt text was refused."));
    });
  }

  // The kind a file suggests, for a writer who has not chosen one: a text-only post is
  // never an "Image" by default.
  function suggestKind(file) {
    if (form.elements.post_type.value || !file) return;
    var kind = { image: "image", video: "video", audio: "music" }[file.type.split("/")[0]];
    if (kind) form.elements.post_type.value = kind;
  }

  input.addEventListener("change", function () {
    showError("");
    suggestKind(input.files[0]);
    Array.prototype.forEach.call(input.files, upload);
    input.value = "";
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy()) return;
    showError("");
    var channel = form.elements.channel.value;
    var body = {
      title: form.elements.title.value.trim(),
      post_type: form.elements.post_type.value,
      body: form.elements.body.value,
      // Empty: no warning (the API takes null or an empty string alike).
      content_warning: form.elements.content_warning.value.trim() || null,
      channel: channel ? Number(channel) : null,
      media: items.map(function (item) {
        return item.id;
      }),
    };
    if (!body.title) {
      showError("Give your post a title.");
      form.elements.title.focus();
      return;
    }
    if (!body.post_type) {
      showError("Choose what kind of post this is.");
      form.elements.post_type.focus();
      return;
    }
    publish.disabled = true;
    saveAltTexts()
      .then(
        function () {
          return send(form.dataset.postsUrl, "POST", body);
        },
        function (error) {
          return { ok: false, body: { detail: error.message } };
        }
      )
      .then(function (res) {
        if (!res.ok) {
          showError(describe(res.body, "The post could not be published."));
          publish.disabled = false;
          return;
        }
        window.location.href = "/posts/" + res.body.id + "/";
      })
      .catch(function () {
        showError("Could not publish; check your connection.");
        publish.disabled = false;
      });
  });
})();
