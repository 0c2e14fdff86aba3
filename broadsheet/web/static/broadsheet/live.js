// Live updates for a discussion: new comments, replies, edits and removals
// arrive without a reload. The server's event stream (Server-Sent Events) says
// only what changed; each comment's HTML is fetched for this reader, so held
// comments and per-reader controls stay right. New top-level comments wait
// behind a "N new comments — show" bar so the page doesn't jump while read;
// replies slot in under their parent at once. Without JavaScript or
// EventSource, the page is simply as it was rendered.
(function () {
  "use strict";

  var section = document.querySelector("section.discussion[data-live-url]");
  if (!section || !window.EventSource || !window.fetch) return;

  var list = section.querySelector(":scope > ol.comments");
  if (!list) return;
  var isWholeThread = section.id === "comments";
  var sort = section.dataset.sort || "oldest";
  var pending = []; // ids of new top-level comments behind the bar, oldest first
  var waitingReplies = {}; // parent id -> reply ids that arrived before their parent was shown
  var bar = null;

  function byId(id) {
    return document.getElementById("c-" + id);
  }

  function fragment(id) {
    var url = section.dataset.fragmentUrl.replace(/\/0\/fragment\/$/, "/" + id + "/fragment/");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error("fragment " + id + ": " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (html === null) return null;
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        return template.content.querySelector("li.comment");
      });
  }

  function highlight(item) {
    var article = item.querySelector(":scope > article");
    if (!article) return;
    item.classList.add("live-arrived");
    article.style.transition = "background-color 2s ease-out";
    article.style.backgroundColor = "#fff3c4";
    window.setTimeout(function () { article.style.backgroundColor = ""; }, 2500);
    window.setTimeout(function () {
      item.classList.remove("live-arrived");
      article.style.transition = "";
    }, 5000);
  }

  function setCount(count) {
    var heading = section.querySelector(":scope > h2");
    if (heading && typeof count === "number") {
      heading.textContent = count.toLocaleString("en-US") + " comment" + (count === 1 ? "" : "s");
    }
  }

  // How deep an item is nested on this page (0 for a top-level one).
  function nesting(item) {
    var depth = 0;
    for (var node = item.parentElement; node && node !== list; node = node.parentElement) {
      if (node.matches("li.comment")) depth += 1;
    }
    return depth;
  }

  // The page caps nesting: past the cap a reply is listed beside its parent.
  // The cap shows where some reply is nested less deeply than it really is.
  function indentCap() {
    var items = list.querySelectorAll("li.comment[data-depth]");
    var top = list.querySelector(":scope > li.comment");
    var root = top ? Number(top.dataset.depth) : 0;
    for (var i = 0; i < items.length; i++) {
      var real = Number(items[i].dataset.depth) - root;
      var shown = nesting(items[i]);
      if (real > shown) return shown;
    }
    return Infinity;
  }

  function place(item, parentId) {
    if (parentId === null) {
      var empty = list.querySelector(":scope > li.empty");
      if (empty) empty.remove();
      if (sort === "newest") list.prepend(item);
      else list.append(item);
    } else {
      var parent = byId(parentId);
      if (!parent || !list.contains(parent)) return false;
      var container = parent;
      if (nesting(parent) >= indentCap()) {
        container = parent.parentElement.closest("li.comment") || null;
      }
      if (container === null) {
        parent.insertAdjacentElement("afterend", item);
      } else {
        var replies = container.querySelector(":scope > ol.replies");
        if (!replies) {
          replies = document.createElement("ol");
          replies.className = "replies";
          var after = container.querySelector(":scope > .inline-reply")
            || container.querySelector(":scope > article");
          after.insertAdjacentElement("afterend", replies);
        }
        replies.append(item);
      }
    }
    highlight(item);
    var waiting = waitingReplies[item.dataset.commentId];
    if (waiting) {
      delete waitingReplies[item.dataset.commentId];
      waiting.forEach(function (id) { insert(id, Number(item.dataset.commentId)); });
    }
    return true;
  }

  function insert(id, parentId) {
    return fragment(id).then(function (item) {
      if (!item || byId(id)) return; // not visible to this reader, or already here
      place(item, parentId);
    });
  }

  function renderBar() {
    if (!pending.length) {
      if (bar) bar.remove();
      bar = null;
      return;
    }
    if (!bar) {
      bar = document.createElement("p");
      bar.className = "live-bar";
      bar.setAttribute("role", "status");
      bar.style.cssText = "margin:.5rem 0 1rem;text-align:center";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "live-show";
      button.style.cssText = "font:inherit;font-weight:600;width:100%;padding:.5rem;" +
        "border:1px solid #d6c27a;background:#fff8dc;border-radius:4px;cursor:pointer";
      button.addEventListener("click", showPending);
      bar.appendChild(button);
      list.insertAdjacentElement("beforebegin", bar);
    }
    var n = pending.length;
    bar.firstChild.textContent = n + " new comment" + (n === 1 ? "" : "s") + " — show";
  }

  function showPending() {
    var ids = pending;
    pending = [];
    renderBar();
    Promise.all(ids.map(fragment)).then(function (items) {
      items.forEach(function (item, i) {
        if (item && !byId(ids[i])) place(item, null);
      });
      var shown = items.filter(Boolean);
      var first = sort === "newest" ? shown[shown.length - 1] : shown[0];
      if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
    });
  }

  function replace(id) {
    return fragment(id).then(function (fresh) {
      var item = byId(id);
      if (!item || !list.contains(item)) return; // gone meanwhile, or a permalink's ancestor
      if (!fresh) {
        var replies = item.parentElement;
        item.remove();
        if (replies && replies.matches("ol.replies") && !replies.children.length) {
          replies.remove();
        }
        return;
      }
      var old = item.querySelector(":scope > article");
      var next = fresh.querySelector(":scope > article");
      if (old && next) old.replaceWith(next);
      item.className = fresh.className;
      highlight(item);
    });
  }

  function forget(id) {
    var at = pending.indexOf(id);
    if (at !== -1) {
      pending.splice(at, 1);
      renderBar();
    }
    Object.keys(waitingReplies).forEach(function (parent) {
      waitingReplies[parent] = waitingReplies[parent].filter(function (r) { return r !== id; });
    });
  }

  function onEvent(message) {
    var data;
    try {
      data = JSON.parse(message.data);
    } catch (error) {
      return;
    }
    var id = data.comment_id;
    var parentId = data.parent_id;
    setCount(data.comment_count);
    if (data.kind === "created") {
      if (byId(id) || pending.indexOf(id) !== -1) return; // e.g. the reader's own post
      if (parentId === null) {
        if (!isWholeThread) return;
        pending.push(id);
        renderBar();
      } else if (byId(parentId)) {
        insert(id, parentId);
      } else if (pending.indexOf(parentId) !== -1 || waitingReplies[parentId]) {
        (waitingReplies[parentId] = waitingReplies[parentId] || []).push(id);
      } else {
        // A reply whose parent isn't shown: a waiting ancestor would bring it along.
        Object.keys(waitingReplies).forEach(function (p) {
          if (waitingReplies[p].indexOf(parentId) !== -1) {
            (waitingReplies[parentId] = waitingReplies[parentId] || []).push(id);
          }
        });
      }
    } else if (data.kind === "edited" || data.kind === "removed") {
      forget(id);
      if (byId(id)) replace(id);
    }
  }

  // Start a little before the page was rendered: a change committed while it was
  // being rendered (or a clock a little off between servers) is then not missed;
  // anything already on the page is skipped.
  var url = section.dataset.liveUrl;
  var since = Number(section.dataset.liveSince);
  if (since > 0) url += "?since=" + (since - 2).toFixed(3);
  var source = new EventSource(url);
  ["created", "edited", "removed"].forEach(function (kind) {
    source.addEventListener(kind, onEvent);
  });
  section.dataset.live = "connecting";
  source.addEventListener("open", function () { section.dataset.live = "open"; });
  source.addEventListener("error", function () {
    section.dataset.live = source.readyState === EventSource.CLOSED ? "closed" : "connecting";
  });
})();
