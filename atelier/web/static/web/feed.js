/* The feed page: cards from GET /api/posts/?explain=true, appreciations, hiding, "why",
 * seen marks, time on screen. Plain JavaScript, no dependencies; every text goes in
 * through textContent. */
(function () {
  "use strict";

  var root = document.getElementById("feed");
  if (!root) return;

  var PAGE_SIZE = 20;
  var SEEN_FLUSH_MS = 1500;
  var DWELL_FLUSH_MS = 10000;
  // The API's bounds (atelier/analytics/dwell.py): items per report, seconds per item.
  var DWELL_MAX_ITEMS = 100;
  var DWELL_MAX_SECONDS = 300;
  var authenticated = root.dataset.authenticated === "true";
  var template = document.getElementById("card-template");
  var weights = JSON.parse(document.getElementById("ranking-weights").textContent);
  // The choices' own labels ("Visual Artist"), so a card says what every other page says.
  var labels = JSON.parse(document.getElementById("choice-labels").textContent);

  var els = {
    loading: document.getElementById("feed-loading"),
    more: document.getElementById("load-more"),
    end: document.getElementById("feed-end"),
    empty: document.getElementById("feed-empty"),
    notice: document.getElementById("feed-notice"),
    toast: document.getElementById("toast"),
    lede: document.getElementById("feed-lede"),
  };

  var state = {
    ordering: root.dataset.ordering, // the ordering shown: the one the server serves
    // True once the member chose an ordering (the URL's `?ordering=`, or a tap on the
    // toggle): it is sent, and the API serves it whatever the experiment assigns.
    explicit: root.dataset.explicit === "true",
    variant: null, // the ordering the server actually served
    next: null,
    loading: false,
    generation: 0, // bumped when the ordering changes: answers for an older list are dropped
    posts: new Map(), // id -> post object from the API
    names: { collectives: {}, channels: {} },
  };

  // ---- HTTP ------------------------------------------------------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function api(url, options) {
    options = options || {};
    var method = options.method || "GET";
    var headers = { Accept: "application/json" };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    if (options.keepalive) init.keepalive = true;
    return fetch(url, init).then(function (res) {
      if (!res.ok) {
        var error = new Error("HTTP " + res.status);
        error.status = res.status;
        throw error;
      }
      return res.status === 204 ? null : res.json();
    });
  }

  // `next` is an absolute URL built by the server; keep only its path and query so a proxy
  // in front of the site cannot send us to another scheme or host.
  function relative(url) {
    var u = new URL(url, window.location.href);
    return u.pathname + u.search;
  }

  function firstPageUrl() {
    var params = new URLSearchParams({ explain: "true", page_size: String(PAGE_SIZE) });
    // Without a choice of the member's the page asks for the default feed (the experiment
    // decides; the server rendered the toggle for what it assigns). A choice is sent.
    if (!authenticated || state.explicit) params.set("ordering", state.ordering);
    return root.dataset.feedUrl + "?" + params.toString();
  }

  // ---- Formatting ------------------------------------------------------------------------

  function humanize(word) {
    var text = String(word || "").replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function age(iso) {
    var seconds = (Date.now() - Date.parse(iso)) / 1000;
    if (seconds < 60) return "just now";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min ago";
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + " h ago";
    var days = Math.floor(hours / 24);
    if (days < 7) return days + " d ago";
    if (days < 35) return Math.floor(days / 7) + " wk ago";
    var date = new Date(iso);
    var sameYear = date.getFullYear() === new Date().getFullYear();
    return date.toLocaleDateString(undefined, {
      day: "numeric",
      month: "short",
      year: sameYear ? undefined : "numeric",
    });
  }

  function fmt(value, digits) {
    return Number(value).toFixed(digits === undefined ? 1 : digits);
  }

  function hue(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 360;
    return h;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var toastTimer = null;
  function toast(message) {
    els.toast.textContent = message;
    els.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      els.toast.hidden = true;
    }, 4000);
  }

  // ---- Cards -----------------------------------------------------------------------------

  // The first media of a post: a lazy-loaded picture painted in its placeholder colour
  // until it arrives (the 480 px thumbnail, or the 1600 px size on wide or dense
  // screens), or an audio or video player that loads nothing before it is played.
  function renderMedia(box, post) {
    var media = post.media || [];
    if (!media.length) return;
    var first = media[0];
    box.hidden = false;
    box.style.backgroundColor = first.placeholder;
    if (first.kind === "image") {
      var link = el("a");
      link.href = "/posts/" + post.id + "/";
      // The same destination as the card's "Open post": one tab stop for both.
      link.tabIndex = -1;
      link.setAttribute("aria-hidden", "true");
      var img = el("img");
      img.loading = "lazy";
      img.decoding = "async";
      img.alt = first.alt_text || post.title;
      img.src = first.thumbnail_url;
      img.srcset = first.thumbnail_url + " 480w, " + first.url + " 1600w";
      img.sizes = "(min-width: 720px) 640px, 100vw";
      if (first.width && first.height) {
        img.width = first.width;
        img.height = first.height;
      }
      img.style.backgroundColor = first.placeholder;
      link.appendChild(img);
      box.appendChild(link);
    } else if (first.kind === "video") {
      var video = el("video");
      video.controls = true;
      video.preload = "none";
      video.src = first.url;
      if (first.thumbnail_url) video.poster = first.thumbnail_url;
      box.appendChild(video);
    } else {
      if (first.thumbnail_url) {
        var cover = el("img");
        cover.loading = "lazy";
        cover.alt = "";
        cover.src = first.thumbnail_url;
        cover.width = first.width;
        cover.height = first.height;
        box.appendChild(cover);
      }
      var audio = el("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.src = first.url;
      box.appendChild(audio);
    }
    if (media.length > 1) box.appendChild(el("span", "media-more", "+" + (media.length - 1)));
  }

  // ---- Content warnings ------------------------------------------------------------------

  // The member's "Always show sensitive content" (visitors never have it).
  var showSensitive = root.dataset.showSensitive === "true";

  function warningLabel(tag, post) {
    var label = el(tag, "cw-label");
    var sign = el("span", "cw-sign", "!");
    sign.setAttribute("aria-hidden", "true");
    var words = el("span", "", "Content warning: ");
    words.appendChild(el("span", "cw-text", post.content_warning));
    label.append(sign, " ", words);
    return label;
  }

  // A post with a content warning gets the post page's fold (templates/web/
  // _content_warning.html): a <details> whose summary holds the warning, the first
  // picture blurred and "Show", around the media and the text, so the pictures cannot be
  // reached before it is opened. With "Always show sensitive content", only the warning,
  // as a label.
  function foldCard(card, post) {
    var media = card.querySelector(".card-media");
    var body = card.querySelector(".card-body");
    if (showSensitive) {
      var label = warningLabel("p", post);
      label.classList.add("cw-label-only");
      media.before(label);
      return;
    }
    var fold = el("details", "cw-fold");
    fold.id = "cw-" + post.id;
    var summary = el("summary", "cw-summary");
    summary.appendChild(warningLabel("span", post));
    var cover = (post.media || []).filter(function (m) {
      return m.thumbnail_url;
    })[0];
    if (cover) {
      var preview = el("span", "cw-preview");
      preview.style.backgroundColor = cover.placeholder;
      var img = el("img", "cw-blurred");
      img.alt = "";
      img.decoding = "async";
      img.src = cover.thumbnail_url;
      if (cover.width && cover.height) {
        img.width = cover.width;
        img.height = cover.height;
      }
      preview.appendChild(img);
      summary.appendChild(preview);
    }
    var toggle = el("span", "cw-toggle");
    toggle.append(el("span", "cw-show", "Show"), el("span", "cw-hide", "Hide"));
    summary.appendChild(toggle);
    var content = el("div", "cw-content");
    media.before(fold);
    content.append(media, body);
    fold.append(summary, content);
  }

  function renderCard(post) {
    var card = template.content.firstElementChild.cloneNode(true);
    var q = function (selector) {
      return card.querySelector(selector);
    };
    card.dataset.postId = String(post.id);
    card.id = "post-" + post.id;

    var avatar = q(".avatar");
    avatar.style.setProperty("--avatar-hue", String(hue(post.author.username)));
    if (post.author.avatar) {
      var face = el("img");
      face.src = post.author.avatar;
      face.alt = "";
      face.width = 38;
      face.height = 38;
      face.loading = "lazy";
      avatar.appendChild(face);
    } else {
      avatar.textContent = post.author.username.charAt(0).toUpperCase();
    }
    var authorLink = el("a", "author-link", post.author.display_name || post.author.username);
    authorLink.href = "/users/" + post.author.id + "/";
    q(".author").appendChild(authorLink);
    q(".artist-type").textContent =
      labels.artist_types[post.author.artist_type] || humanize(post.author.artist_type);
    var time = q(".age");
    time.dateTime = post.created_at;
    time.textContent = age(post.created_at);
    time.title = new Date(post.created_at).toLocaleString();
    var badge = q(".badge");
    badge.textContent = labels.post_types[post.post_type] || humanize(post.post_type);
    badge.classList.add("badge-" + post.post_type);
    var title = q(".open-post");
    title.textContent = post.title;
    title.setAttribute("aria-controls", "post-" + post.id + "-body");
    var body = q(".card-body");
    body.id = "post-" + post.id + "-body";
    if (post.body) body.textContent = post.body;
    else body.hidden = true;

    q(".card-open").href = "/posts/" + post.id + "/";
    renderMedia(q(".card-media"), post);
    if (post.content_warning) foldCard(card, post);

    if (post.collective) {
      q(".card-place").hidden = false;
      var collective = state.names.collectives[post.collective];
      var collectiveLink = el("a", "collective-name-link", collective || "A collective");
      collectiveLink.href = "/collectives/" + post.collective + "/";
      q(".collective-name").appendChild(collectiveLink);
      var channel = post.channel && state.names.channels[post.channel];
      if (channel) q(".channel-name").textContent = " › #" + channel;
    }

    if (post.reason && post.score_breakdown) {
      var reason = q(".card-reason");
      reason.textContent = post.reason;
      reason.hidden = false;
    }

    setCounts(card, {
      hearts: post.hearts_count,
      praise: post.praise_count,
      trophies: post.trophy_count,
      comments: post.comment_count,
      critiques: post.critique_count,
    });

    if (!authenticated) {
      card.querySelectorAll(".act").forEach(function (button) {
        button.title = "Log in to give a " + button.dataset.kind;
      });
      q(".hide-post").remove();
    }
    return card;
  }

  function setCounts(card, counts) {
    Object.keys(counts).forEach(function (key) {
      var node = card.querySelector('[data-count="' + key + '"]');
      if (node && counts[key] !== undefined) node.textContent = String(counts[key]);
    });
  }

  function setPressed(button, pressed) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
  }

  function cardsById(ids) {
    var found = {};
    ids.forEach(function (id) {
      var card = document.getElementById("post-" + id);
      if (card) found[id] = card;
    });
    return found;
  }

  // Pressed states and fresh counts for cards (GET /api/posts/meta/).
  function refreshMeta(ids) {
    if (!authenticated || !ids.length) return Promise.resolve();
    var url = root.dataset.metaUrl + "?ids=" + ids.join(",");
    return api(url).then(function (meta) {
      var cards = cardsById(ids);
      Object.keys(meta).forEach(function (id) {
        var card = cards[id];
        if (!card) return;
        var m = meta[id];
        setCounts(card, m);
        setPressed(card.querySelector(".act-heart"), m.hearted);
        setPressed(card.querySelector(".act-praise"), m.praised);
        setPressed(card.querySelector(".act-trophy"), m.trophied);
      });
    });
  }

  // Names of the collectives and channels on these posts (GET /api/feed/names/).
  function fetchNames(posts) {
    var collectives = new Set();
    var channels = new Set();
    posts.forEach(function (post) {
      if (post.collective && !(post.collective in state.names.collectives)) {
        collectives.add(post.collective);
      }
      if (post.channel && !(post.channel in state.names.channels)) channels.add(post.channel);
    });
    if (!collectives.size && !channels.size) return Promise.resolve();
    var params = new URLSearchParams({
      collectives: Array.from(collectives).join(","),
      channels: Array.from(channels).join(","),
    });
    return api(root.dataset.namesUrl + "?" + params.toString())
      .then(function (names) {
        Object.assign(state.names.collectives, names.collectives);
        Object.assign(state.names.channels, names.channels);
      })
      .catch(function () {
        /* cards fall back to "A collective" */
      });
  }

  // The weights that ranked this page: refetched when staff changed the configuration.
  function ensureWeights(ranking) {
    if (!ranking || ranking.config_version === weights.config_version) {
      return Promise.resolve();
    }
    return api(root.dataset.weightsUrl)
      .then(function (fresh) {
        weights = fresh;
      })
      .catch(function () {});
  }

  // ---- Loading pages ---------------------------------------------------------------------

  // Infinite scroll: the next page starts loading before the reader reaches the end; the
  // "Load more" button stays as the way to do it by hand.
  var moreObserver =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          function (entries) {
            if (entries[entries.length - 1].isIntersecting && !state.loading) loadMore();
          },
          { rootMargin: "600px 0px" }
        )
      : null;

  function setLoading(on) {
    state.loading = on;
    els.loading.hidden = !on;
    root.setAttribute("aria-busy", on ? "true" : "false");
    // aria-disabled, not disabled: the button keeps the focus of a keyboard user who
    // pressed it (loadPage ignores presses while a page is loading).
    els.more.setAttribute("aria-disabled", on ? "true" : "false");
  }

  function updateFoot() {
    var any = root.querySelector(".card") !== null;
    els.more.hidden = !state.next;
    els.end.hidden = Boolean(state.next) || !any;
    els.empty.hidden = Boolean(state.next) || any;
    // Observing again reports the current position at once: if the button is still near the
    // screen after this page (a short page, a tall screen), the next page loads too.
    if (moreObserver && state.next) {
      moreObserver.unobserve(els.more);
      moreObserver.observe(els.more);
    }
  }

  // The toggle and the headline follow the ordering served. Without a choice of the
  // member's that is the experiment's, which the server read when it rendered the page; if
  // the rollout changed since, the answer says so and the page follows it (silently: the
  // experiment is not announced).
  function showOrdering(ordering) {
    if (!authenticated || state.explicit || !ordering || ordering === state.ordering) return;
    state.ordering = ordering;
    document.querySelectorAll(".segment").forEach(function (b) {
      setPressed(b, b.dataset.ordering === ordering);
    });
    if (els.lede) els.lede.textContent = els.lede.dataset[ordering];
  }

  function loadPage(url) {
    if (state.loading) return Promise.resolve();
    var generation = state.generation;
    setLoading(true);
    var data;
    return api(url)
      .then(function (answer) {
        data = answer;
        return Promise.all([ensureWeights(data.ranking), fetchNames(data.results)]);
      })
      .then(function () {
        if (generation !== state.generation) return;
        var fresh = [];
        data.results.forEach(function (post) {
          if (state.posts.has(post.id)) return;
          state.posts.set(post.id, post);
          var card = renderCard(post);
          initToolbars(card);
          root.appendChild(card);
          observeSeen(card);
          observeDwell(card);
          fresh.push(post.id);
        });
        state.next = data.next ? relative(data.next) : null;
        state.variant = data.ranking ? data.ranking.variant : null;
        showOrdering(state.variant);
        return refreshMeta(fresh);
      })
      .catch(function (error) {
        if (generation !== state.generation) return;
        toast("Could not load the feed (" + error.message + "). Try again in a moment.");
      })
      .then(function () {
        if (generation !== state.generation) return;
        setLoading(false);
        updateFoot();
      });
  }

  function loadMore() {
    if (state.next) loadPage(state.next);
  }

  function restart() {
    state.generation += 1;
    state.next = null;
    state.posts.clear();
    if (seenObserver) seenObserver.disconnect();
    stopDwell();
    root.textContent = "";
    els.notice.hidden = true;
    els.end.hidden = true;
    els.empty.hidden = true;
    els.more.hidden = true;
    setLoading(false);
    if (els.lede) els.lede.textContent = els.lede.dataset[state.ordering];
    loadPage(firstPageUrl());
  }

  // ---- Actions ---------------------------------------------------------------------------

  function toggleAppreciation(card, button) {
    if (!authenticated) {
      window.location.href = root.dataset.loginUrl;
      return;
    }
    // A press while the last one is on its way is ignored. The button is not disabled for
    // that: a disabled button drops the keyboard focus to <body>.
    if (button.getAttribute("aria-busy") === "true") return;
    var id = card.dataset.postId;
    var kind = button.dataset.kind;
    var pressed = button.getAttribute("aria-pressed") === "true";
    var count = button.querySelector(".count");
    var before = Number(count.textContent) || 0;
    // Show the result at once; the answer from the server then sets the true numbers.
    setPressed(button, !pressed);
    count.textContent = String(Math.max(0, before + (pressed ? -1 : 1)));
    button.setAttribute("aria-busy", "true");
    api("/api/posts/" + id + "/" + kind + "/", { method: pressed ? "DELETE" : "POST" })
      .then(function () {
        return refreshMeta([id]);
      })
      .catch(function (error) {
        setPressed(button, pressed);
        count.textContent = String(before);
        toast(
          error.status === 404
            ? "That post is no longer available."
            : "Could not save that (" + error.message + ")."
        );
      })
      .then(function () {
        button.removeAttribute("aria-busy");
      });
  }

  function hidePost(card) {
    var id = card.dataset.postId;
    var post = state.posts.get(Number(id));
    api("/api/posts/" + id + "/hide/", { method: "POST" })
      .then(function () {
        var note = el("div", "card card-hidden");
        note.setAttribute("role", "status");
        note.dataset.hiddenPostId = id;
        note.appendChild(
          el("span", "", "Hidden. You won't see “" + (post ? post.title : "this post") + "” again.")
        );
        var undo = el("button", "linkish undo", "Undo");
        undo.type = "button";
        undo.addEventListener("click", function () {
          if (undo.getAttribute("aria-busy") === "true") return;
          undo.setAttribute("aria-busy", "true");
          api("/api/posts/" + id + "/hide/", { method: "DELETE" })
            .then(function () {
              note.replaceWith(card);
              // The keyboard user is back where they pressed "Not interested".
              var hide = card.querySelector(".hide-post");
              if (hide) focusInToolbar(hide);
            })
            .catch(function (error) {
              undo.removeAttribute("aria-busy");
              toast("Could not undo (" + error.message + ").");
            });
        });
        note.appendChild(undo);
        card.replaceWith(note);
        undo.focus();
      })
      .catch(function (error) {
        toast("Could not hide that post (" + error.message + ").");
      });
  }

  // Opening a post shows all of its text; for a signed-in reader it is read from
  // GET /api/posts/{id}/, which also counts as opening it (the dashboard's click-through).
  function openPost(card, button) {
    var open = !card.classList.contains("is-open");
    card.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    // Unfolding the text behind a content warning is choosing to see the post.
    var fold = card.querySelector(".cw-fold");
    if (open && fold) fold.open = true;
    var body = card.querySelector(".card-body");
    if (!open || !authenticated || card.dataset.opened) {
      body.hidden = !body.textContent;
      return;
    }
    card.dataset.opened = "true";
    api("/api/posts/" + card.dataset.postId + "/")
      .then(function (post) {
        state.posts.set(post.id, Object.assign(state.posts.get(post.id) || {}, { body: post.body }));
        body.textContent = post.body;
        body.hidden = !post.body;
        setCounts(card, {
          hearts: post.hearts_count,
          praise: post.praise_count,
          trophies: post.trophy_count,
          comments: post.comment_count,
          critiques: post.critique_count,
        });
      })
      .catch(function (error) {
        if (error.status === 404) toast("That post is no longer available.");
      });
  }

  // ---- "Why am I seeing this?" -----------------------------------------------------------

  function buildWhy(panel, post) {
    panel.textContent = "";
    // The reason is the API's (atelier/feed/components.py writes every one).
    if (post.reason) panel.appendChild(el("p", "why-reason", post.reason));
    var breakdown = post.score_breakdown;
    var contributions = post.score_contributions;
    if (!breakdown || !contributions) {
      var note;
      if (!authenticated) {
        note =
          "Public posts are shown newest first. Log in for a feed ranked for you, " +
          "with the score behind every post.";
      } else if (state.ordering === "chronological") {
        note =
          "“Newest” shows everything you can see in time order, so posts carry no score. " +
          "Switch to “For you” to see how each post is scored.";
      } else {
        note =
          "Your feed scores its most recent and most relevant posts first; older posts " +
          "like this one follow them, newest first.";
      }
      panel.appendChild(el("p", "why-note", note));
      return;
    }
    // Each signal's contribution (weight × points) is the API's, as the scorer computed it
    // under the configuration that ranked this page; the page never multiplies them itself.
    var rows = Object.keys(contributions).map(function (key) {
      return {
        key: key,
        points: Number(breakdown[key]) || 0,
        weight: weights.weights[key],
        contribution: Number(contributions[key]) || 0,
        ceiling: Number((weights.max_contributions || {})[key]) || 0,
      };
    });
    // Every bar shares one scale (the largest contribution any signal can make), so a full
    // track means "as much as this signal ever gives" and bars compare across posts.
    var scale = Math.max.apply(
      null,
      rows
        .map(function (r) {
          return Math.max(r.ceiling, r.contribution);
        })
        .concat([1e-9])
    );
    rows.sort(function (a, b) {
      return b.contribution - a.contribution;
    });

    var list = el("ul", "why-bars");
    var sum = 0;
    rows.forEach(function (r) {
      sum += r.contribution;
      var item = el("li", "why-row" + (r.contribution > 0 ? "" : " is-zero"));
      item.dataset.component = r.key;
      var label = el("span", "why-label", weights.labels[r.key] || humanize(r.key));
      label.title = weights.help[r.key] || "";
      var track = el("span", "why-track");
      track.style.width = ((100 * r.ceiling) / scale).toFixed(2) + "%";
      var fill = el("span", "why-fill c-" + r.key);
      fill.style.width = r.ceiling > 0 ? Math.min(100, (100 * r.contribution) / r.ceiling) + "%" : "0";
      track.appendChild(fill);
      var bar = el("span", "why-bar");
      bar.appendChild(track);
      var value = el("span", "why-value", "+" + fmt(r.contribution, 1));
      item.append(label, bar, value);
      if (r.contribution > 0) {
        var detail = el(
          "span",
          "why-detail",
          fmt(r.points, 1) + " pts" + (r.weight === undefined ? "" : " × " + fmt(r.weight, 2))
        );
        if (weights.help[r.key]) detail.appendChild(el("span", "", " · " + weights.help[r.key]));
        item.appendChild(detail);
      }
      list.appendChild(item);
    });
    panel.appendChild(list);

    var factors = el("dl", "why-factors");
    function factor(name, term, value) {
      var row = el("div", "why-factor");
      row.dataset.factor = name;
      row.append(el("dt", "", term), el("dd", "", value));
      factors.appendChild(row);
      return row;
    }
    factor("sum", "Sum of the signals", fmt(sum, 2));
    factor(
      "seen",
      breakdown.seen ? "You have seen it before" : "Not seen yet",
      "× " + fmt(breakdown.seen ? Number(weights.seen_factor) : 1, 2)
    );
    var diversity = Number(breakdown.diversity);
    factor(
      "diversity",
      diversity < 1
        ? "More by " + post.author.username + " ranks higher (variety)"
        : "Top post by " + post.author.username,
      "× " + fmt(diversity, 2)
    );
    factor("score", "Score", fmt(post.score, 2)).classList.add("why-total");
    panel.appendChild(factors);
  }

  function toggleWhy(card, button) {
    var panel = card.querySelector(".why-panel");
    var open = panel.hidden;
    if (open) buildWhy(panel, state.posts.get(Number(card.dataset.postId)));
    panel.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Hide explanation" : "Why am I seeing this?";
  }

  // ---- Seen marks ------------------------------------------------------------------------

  var seenQueue = new Set();
  var seenSent = new Set();
  var seenTimer = null;

  function flushSeen(keepalive) {
    clearTimeout(seenTimer);
    seenTimer = null;
    if (!seenQueue.size) return;
    var ids = Array.from(seenQueue).slice(0, 200);
    ids.forEach(function (id) {
      seenQueue.delete(id);
      seenSent.add(id);
    });
    api(root.dataset.seenUrl, { method: "POST", body: { post_ids: ids }, keepalive: keepalive })
      .catch(function () {
        /* a lost seen mark only means the post keeps its full score */
      });
    if (seenQueue.size) scheduleSeen();
  }

  function scheduleSeen() {
    if (!seenTimer) seenTimer = setTimeout(flushSeen, SEEN_FLUSH_MS);
  }

  // A card counts as seen once half of it was on screen, or once it was scrolled past.
  var seenObserver =
    authenticated && "IntersectionObserver" in window
      ? new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              var scrolledPast = !entry.isIntersecting && entry.boundingClientRect.bottom < 0;
              if (entry.intersectionRatio >= 0.5 || scrolledPast) {
                var id = Number(entry.target.dataset.postId);
                if (!seenSent.has(id)) seenQueue.add(id);
                seenObserver.unobserve(entry.target);
              }
            });
            if (seenQueue.size) scheduleSeen();
          },
          { threshold: [0, 0.5] }
        )
      : null;

  function observeSeen(card) {
    if (seenObserver) seenObserver.observe(card);
  }

  // ---- Time on screen --------------------------------------------------------------------

  // How long each card stays on screen (see isOnScreen) while the tab is visible, accumulated
  // per post and sent every DWELL_FLUSH_MS (POST /api/analytics/dwell/), and with
  // navigator.sendBeacon when the tab is hidden or left. Hidden time never counts.
  var dwell = {
    onScreen: new Map(), // id -> when its current stretch on screen began (null: paused)
    pending: new Map(), // id -> seconds on screen not sent yet
  };

  function tabVisible() {
    return document.visibilityState === "visible";
  }

  // Move the time on screen so far into `pending`; running stretches restart at `now`,
  // or pause (start null) when `pause` is true.
  function accrueDwell(pause) {
    var now = performance.now();
    dwell.onScreen.forEach(function (since, id) {
      if (since !== null) {
        dwell.pending.set(id, (dwell.pending.get(id) || 0) + (now - since) / 1000);
      }
      dwell.onScreen.set(id, pause ? null : now);
    });
  }

  function resumeDwell() {
    var now = performance.now();
    dwell.onScreen.forEach(function (since, id) {
      if (since === null) dwell.onScreen.set(id, now);
    });
  }

  function stopDwell() {
    accrueDwell(true);
    dwell.onScreen.clear();
    if (dwellObserver) dwellObserver.disconnect();
  }

  // Pending time as report items (tenths of a second, within the API's bounds), removed.
  function takeDwellItems() {
    var items = [];
    dwell.pending.forEach(function (seconds, id) {
      if (items.length >= DWELL_MAX_ITEMS) return;
      var rounded = Math.round(Math.min(seconds, DWELL_MAX_SECONDS) * 10) / 10;
      dwell.pending.delete(id);
      if (rounded > 0) items.push({ post: id, seconds: rounded });
    });
    return items;
  }

  // Send what accumulated; `leaving`: the page is being hidden or left, so a beacon (a form
  // with the CSRF token: a beacon cannot set the header), else fetch with keepalive.
  function flushDwell(leaving) {
    accrueDwell(leaving);
    var items;
    while ((items = takeDwellItems()).length) {
      var sent = false;
      if (leaving && navigator.sendBeacon) {
        var form = new URLSearchParams();
        form.set("csrfmiddlewaretoken", csrfToken());
        form.set("items", JSON.stringify(items));
        sent = navigator.sendBeacon(root.dataset.dwellUrl, form);
      }
      if (!sent) {
        api(root.dataset.dwellUrl, {
          method: "POST",
          body: { items: items },
          keepalive: leaving,
        }).catch(function () {
          /* time on screen is a statistic: a lost report is not worth a retry */
        });
      }
    }
  }

  // On screen: at least half of the card is visible, or, for a card taller than twice the
  // screen (a long text unfolded), the card fills at least half of the screen.
  function isOnScreen(entry) {
    if (!entry.isIntersecting) return false;
    var screen = entry.rootBounds ? entry.rootBounds.height : window.innerHeight;
    return entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= 0.5 * screen;
  }

  // Every 5% of a card: a tall card's share of the screen is followed closely enough.
  var DWELL_THRESHOLDS = [];
  for (var t = 0; t <= 20; t++) DWELL_THRESHOLDS.push(t / 20);

  var dwellObserver =
    authenticated && root.dataset.dwellUrl && "IntersectionObserver" in window
      ? new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              var id = Number(entry.target.dataset.postId);
              if (isOnScreen(entry)) {
                if (!dwell.onScreen.has(id)) {
                  dwell.onScreen.set(id, tabVisible() ? performance.now() : null);
                }
              } else if (dwell.onScreen.has(id)) {
                var since = dwell.onScreen.get(id);
                if (since !== null) {
                  var seconds = (performance.now() - since) / 1000;
                  dwell.pending.set(id, (dwell.pending.get(id) || 0) + seconds);
                }
                dwell.onScreen.delete(id);
              }
            });
          },
          { threshold: DWELL_THRESHOLDS }
        )
      : null;

  function observeDwell(card) {
    if (dwellObserver) dwellObserver.observe(card);
  }

  if (dwellObserver) {
    setInterval(function () {
      if (tabVisible()) flushDwell(false);
    }, DWELL_FLUSH_MS);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flushSeen(true);
      if (dwellObserver) flushDwell(true);
    } else if (dwellObserver) {
      resumeDwell();
    }
  });
  window.addEventListener("pagehide", function () {
    flushSeen(true);
    if (dwellObserver) flushDwell(true);
  });
  window.addEventListener("pageshow", function (event) {
    // Back from the back-forward cache: the cards on screen count again.
    if (event.persisted && dwellObserver) resumeDwell();
  });

  // ---- Keyboard: one tab stop per group -------------------------------------------------

  // A card's reactions, and its "why" and "not interested", are toolbars: Tab reaches one
  // button of each (the last one used), the arrow keys, Home and End move within it.
  function toolbarItems(toolbar) {
    return Array.prototype.filter.call(toolbar.querySelectorAll("button, a[href]"), function (item) {
      return !item.hidden;
    });
  }

  function setRovingStop(toolbar, current) {
    toolbarItems(toolbar).forEach(function (item) {
      item.tabIndex = item === current ? 0 : -1;
    });
  }

  function focusInToolbar(item) {
    var toolbar = item.closest("[role=toolbar]");
    if (toolbar) setRovingStop(toolbar, item);
    item.focus();
  }

  function initToolbars(card) {
    card.querySelectorAll("[role=toolbar]").forEach(function (toolbar) {
      setRovingStop(toolbar, toolbarItems(toolbar)[0]);
    });
  }

  var TOOLBAR_KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  root.addEventListener("keydown", function (event) {
    var toolbar = event.target.closest && event.target.closest("[role=toolbar]");
    if (!toolbar || !root.contains(toolbar) || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var items = toolbarItems(toolbar);
    var at = items.indexOf(event.target);
    if (at < 0) return;
    var next;
    if (event.key in TOOLBAR_KEYS) {
      next = items[(at + TOOLBAR_KEYS[event.key] + items.length) % items.length];
    } else if (event.key === "Home") {
      next = items[0];
    } else if (event.key === "End") {
      next = items[items.length - 1];
    } else {
      return;
    }
    event.preventDefault();
    focusInToolbar(next);
  });

  // A click (or a tap) in a toolbar makes that button the group's tab stop.
  root.addEventListener("focusin", function (event) {
    var toolbar = event.target.closest && event.target.closest("[role=toolbar]");
    if (toolbar && root.contains(toolbar) && toolbarItems(toolbar).indexOf(event.target) >= 0) {
      setRovingStop(toolbar, event.target);
    }
  });

  // ---- Wiring ----------------------------------------------------------------------------

  root.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !root.contains(target)) return;
    var card = target.closest(".card");
    if (!card || !card.dataset.postId) return;
    if (target.classList.contains("act")) toggleAppreciation(card, target);
    else if (target.classList.contains("why-toggle")) toggleWhy(card, target);
    else if (target.classList.contains("hide-post")) hidePost(card);
    else if (target.classList.contains("open-post")) openPost(card, target);
  });

  document.querySelectorAll(".segment").forEach(function (button) {
    button.addEventListener("click", function () {
      var ordering = button.dataset.ordering;
      if (ordering === state.ordering) return;
      state.ordering = ordering;
      state.explicit = true;
      document.querySelectorAll(".segment").forEach(function (b) {
        setPressed(b, b === button);
      });
      var url = "/?ordering=" + ordering;
      window.history.replaceState(null, "", url);
      restart();
    });
  });

  els.more.addEventListener("click", loadMore);

  if (els.lede) els.lede.textContent = els.lede.dataset[state.ordering];
  loadPage(firstPageUrl());
})();
