// Progressive enhancement for the discussion: Reply and Quote open the form
// inline under the comment instead of going to the reply page. Without
// JavaScript the links lead to that page and everything still works.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        return box;
      });
  }

  // "Load more comments": the next page's top-level comments join the list in place.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.next-page[data-fragment]");
    if (!link || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    var section = link.closest("section.discussion");
    var list = section.querySelector("ol.comments");
    fetchHtml(link.dataset.fragment).then(function (box) {
      box.querySelectorAll(":scope > li.comment").forEach(function (item) {
        if (!document.getElementById(item.id)) list.append(item);
      });
      var pager = box.querySelector("nav.pager");
      section.querySelector("nav.pager").replaceWith(pager);
    }).catch(function () { window.location.href = link.href; });
  });

  // "Show K more replies": the comment comes back with more of its subtree;
  // a continuation adds the rest under it. The reader stays where they are.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".more-replies a[data-subtree]");
    if (!link || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    var holder = link.closest(".more-replies");
    var item = holder.closest("li.comment");
    fetchHtml(link.dataset.subtree).then(function (box) {
      var fresh = box.querySelector(":scope > li.comment");
      var more = box.querySelector(":scope > .more-replies");
      if (!holder.classList.contains("continuation") && fresh) {
        item.replaceWith(fresh);
        if (more) fresh.append(more);
        return;
      }
      var replies = item.querySelector(":scope > ol.replies");
      box.querySelectorAll(":scope > li.comment").forEach(function (child) {
        if (!document.getElementById(child.id)) replies.append(child);
      });
      holder.replaceWith(more || document.createTextNode(""));
    }).catch(function () { window.location.href = link.href; });
  });

  // Collapse and expand any subtree.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-collapse]");
    if (!button) return;
    var item = button.closest("li.comment");
    var collapsed = item.classList.toggle("collapsed");
    button.setAttribute("aria-expanded", String(!collapsed));
    button.textContent = collapsed ? "+" : "−";
    var count = item.querySelectorAll("li.comment").length;
    button.title = collapsed && count ? count + " repl" + (count === 1 ? "y" : "ies") + " hidden" : "";
  });

  function formFor(item) {
    var existing = item.querySelector(":scope > .inline-reply");
    if (existing) return existing;
    var template = document.getElementById("reply-template");
    if (!template) return null;
    var wrapper = document.createElement("div");
    wrapper.className = "inline-reply";
    wrapper.appendChild(template.content.cloneNode(true));
    var form = wrapper.querySelector("form");
    var parent = document.createElement("input");
    parent.type = "hidden";
    parent.name = "parent";
    parent.value = item.dataset.commentId;
    form.appendChild(parent);
    var textarea = form.querySelector("textarea");
    textarea.id = "body-" + item.dataset.commentId;
    textarea.placeholder = "Write a reply…";
    var label = form.querySelector("label[for]");
    if (label) label.htmlFor = textarea.id;
    form.querySelector("button[type=submit]").textContent = "Post reply";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "cancel";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", function () { wrapper.remove(); });
    form.appendChild(cancel);
    var article = item.querySelector(":scope > article");
    article.insertAdjacentElement("afterend", wrapper);
    return wrapper;
  }

  function open(link) {
    var item = link.closest("li.comment");
    var wrapper = formFor(item);
    if (!wrapper) return false;
    var textarea = wrapper.querySelector("textarea");
    if (link.dataset.action === "quote") {
      fetch(link.href, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
        .then(function (data) {
          textarea.value = data.body + textarea.value;
          textarea.focus();
          textarea.setSelectionRange(textarea.value.length, textarea.value.length);
        })
        .catch(function () { window.location.href = link.href; });
    } else {
      textarea.focus();
    }
    return true;
  }

  // Cached pages carry no CSRF token: fetch one (which also sets the cookie)
  // before the first post, and add it to the form.
  var tokenPromise = null;
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return Promise.resolve(decodeURIComponent(match[1]));
    if (!tokenPromise) {
      tokenPromise = fetch("/csrf/", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) { return data.token; });
    }
    return tokenPromise;
  }

  function withToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return Promise.resolve();
    return csrfToken().then(function (token) {
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        form.prepend(input);
      }
      input.value = token;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post" || form.matches("[data-vote-form]")) return;
    if (form.querySelector("input[name=csrfmiddlewaretoken]")) return;
    event.preventDefault();
    withToken(form).then(function () { form.submit(); });
  });

  // Votes: sent in the background; the buttons show the new tallies and state.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-vote-form]");
    if (!form) return;
    var button = event.submitter;
    if (!button) return;
    event.preventDefault();
    withToken(form).then(function () { sendVote(form, button); });
  });

  function sendVote(form, button) {
    var data = new FormData(form);
    data.set("value", button.value);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (result) {
        if (!result.ok) { window.alert(result.body.error.message); return; }
        var up = form.querySelector(".vote.up"), down = form.querySelector(".vote.down");
        up.querySelector(".count").textContent = result.body.upvotes;
        down.querySelector(".count").textContent = result.body.downvotes;
        up.classList.toggle("voted", result.body.my_vote === 1);
        down.classList.toggle("voted", result.body.my_vote === -1);
        up.setAttribute("aria-pressed", result.body.my_vote === 1);
        down.setAttribute("aria-pressed", result.body.my_vote === -1);
        up.value = result.body.my_vote === 1 ? "none" : "up";
        down.value = result.body.my_vote === -1 ? "none" : "down";
      })
      .catch(function () { form.submit(); });
  }

  // A chosen sort is remembered in the browser, so cached pages stay shareable.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("nav.sorts a[href]");
    if (!link) return;
    var sort = new URL(link.href).searchParams.get("sort");
    if (sort) document.cookie = "bs_sort=" + sort + "; path=/; max-age=31536000; samesite=lax";
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-action]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (open(link)) event.preventDefault();
  });

  // Reader tools. "Flag" opens the flag page's form inline under the comment and
  // sends it in the background; "Mute" asks, mutes, and reloads (the page then
  // shows that commenter's comments collapsed). Without JavaScript both links
  // lead to small pages that do the same.
  function flagFormFor(item, link) {
    var existing = item.querySelector(":scope > .inline-flag");
    if (existing) return Promise.resolve(existing);
    return fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var form = page.querySelector("form.flag-form");
        if (!form) return Promise.reject(new Error("no form"));
        var wrapper = document.createElement("div");
        wrapper.className = "inline-flag";
        wrapper.setAttribute("role", "dialog");
        wrapper.setAttribute("aria-label", "Flag this comment");
        form = document.importNode(form, true);
        form.setAttribute("data-flag-form", "");
        var cancel = form.querySelector("a");
        if (cancel) {
          cancel.addEventListener("click", function (event) { event.preventDefault(); wrapper.remove(); });
        }
        wrapper.appendChild(form);
        item.querySelector(":scope > article").insertAdjacentElement("afterend", wrapper);
        return wrapper;
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-flag]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    flagFormFor(link.closest("li.comment"), link)
      .then(function (wrapper) {
        var first = wrapper.querySelector("input[type=radio]");
        if (first) first.focus();
      })
      .catch(function () { window.location.href = link.href; });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-flag-form]");
    if (!form) return;
    event.preventDefault();
    var wrapper = form.closest(".inline-flag");
    withToken(form).then(function () {
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (result) {
        var message = document.createElement("p");
        message.className = result.ok ? "flag-message notice confirmation" : "flag-message form-error";
        message.setAttribute("role", result.ok ? "status" : "alert");
        message.textContent = result.ok ? result.body.message : result.body.error.message;
        var old = wrapper.querySelector(".flag-message");
        if (old) old.remove();
        if (result.ok) {
          wrapper.replaceChildren(message);
          var flagLink = wrapper.closest("li.comment").querySelector(":scope > article a[data-flag]");
          if (flagLink) flagLink.replaceWith(document.createTextNode("Flagged"));
        } else {
          form.prepend(message);
        }
      })
      .catch(function () { form.submit(); });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-mute]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    var author = link.closest("li.comment").querySelector(":scope > article .author");
    var name = author ? author.textContent.trim() : "this commenter";
    if (!window.confirm("Mute " + name + "? Their comments will be collapsed for you only.")) return;
    var form = document.createElement("form");
    form.method = "post";
    form.action = link.href;
    withToken(form).then(function () {
      return fetch(link.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (result) {
        if (!result.ok) { window.alert(result.body.error.message); return; }
        window.location.reload();
      })
      .catch(function () { window.location.href = link.href; });
  });
})();
