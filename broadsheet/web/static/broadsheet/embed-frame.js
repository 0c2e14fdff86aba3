// The discussion inside another site's page (the iframe embed.js opens).
//
// The browser may keep no cookies for us here (third-party cookies blocked), so
// identity travels in a token: every request to our origin carries it in the
// X-Broadsheet-Embed header, and a page is rendered for its owner by POSTing the
// token (a form navigation, since a navigation can't carry a header). The token
// comes from /embed/session/ (a guest's, or the signed-in user's when our session
// cookie reached us) or from the sign-in popup, by postMessage from our own origin.
// The frame tells the page around it its height, and asks it to scroll to a
// comment, by postMessage to that page's origin only, once checked against the
// site's domains; it listens to that origin only.
(function () {
  "use strict";
  var body = document.body;
  var HEADER = "X-Broadsheet-Embed";
  var STORE = "broadsheet-embed";
  var hosts = (body.dataset.hosts || "").split(" ").filter(Boolean);
  // The token this page was rendered for comes back in the page: the browser may keep
  // no storage for a third-party frame, so that is how it survives a navigation.
  var state = body.dataset.token
    ? { token: body.dataset.token, signedIn: body.dataset.signedIn === "1" }
    : load();

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }
  function save(value) {
    state = value;
    try { window.sessionStorage.setItem(STORE, JSON.stringify(value)); } catch (e) { /* blocked */ }
  }

  // --- the page around us ---------------------------------------------------------
  function allowedOrigin(origin) {
    try { return hosts.indexOf(new URL(origin).host) !== -1 ? new URL(origin).origin : null; }
    catch (e) { return null; }
  }
  var parentOrigin = (function () {
    var candidates = [];
    if (window.location.ancestorOrigins && window.location.ancestorOrigins.length) {
      candidates.push(window.location.ancestorOrigins[0]);
    }
    candidates.push(new URLSearchParams(window.location.search).get("origin") || "");
    if (state && state.parent) candidates.push(state.parent);
    if (document.referrer) candidates.push(document.referrer);
    for (var i = 0; i < candidates.length; i++) {
      var origin = allowedOrigin(candidates[i]);
      if (origin) return origin;
    }
    return null;
  })();
  var embedded = window.parent !== window && parentOrigin !== null;

  function tell(message) {
    if (embedded) window.parent.postMessage(message, parentOrigin);
  }

  function reportHeight() {
    tell({ type: "broadsheet:resize", height: document.documentElement.scrollHeight });
  }
  if (window.ResizeObserver) new ResizeObserver(reportHeight).observe(document.documentElement);
  window.addEventListener("load", reportHeight);

  function scrollToComment(id) {
    var item = document.getElementById("c-" + id);
    if (!item) return false;
    item.classList.add("focused");
    tell({ type: "broadsheet:scroll", top: item.getBoundingClientRect().top + window.scrollY });
    return true;
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    var data = event.data || {};
    if (data.type === "broadsheet:focus" && /^\d+$/.test(String(data.comment))) {
      if (!scrollToComment(data.comment)) navigate(body.dataset.threadUrl, { comment: data.comment });
    }
  });

  // --- identity -------------------------------------------------------------------
  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input.url, window.location.href);
    if (state && state.token && url.origin === window.location.origin) {
      init = Object.assign({}, init || {});
      var headers = new Headers(init.headers || {});
      headers.set(HEADER, state.token);
      init.headers = headers;
      if (!init.credentials) init.credentials = "omit";
    }
    return nativeFetch(input, init);
  };

  // A navigation inside the frame: POSTed with the token so the page is rendered for
  // its owner (their held comments, their votes); sort, page and focus go along.
  function navigate(href, extra) {
    var url = new URL(href, window.location.href);
    var form = document.createElement("form");
    form.method = "post";
    form.action = url.pathname;
    var fields = Object.assign({}, Object.fromEntries(url.searchParams), extra || {});
    if (state && state.token) fields.embed_token = state.token;
    if (parentOrigin) fields.origin = parentOrigin;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    body.appendChild(form);
    form.submit();
  }

  function session(asGuest) {
    var url = body.dataset.sessionUrl + (asGuest ? "?guest=1" : "");
    return nativeFetch(url, { credentials: "include", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        save({ token: data.token, signedIn: data.signed_in, name: data.name, parent: parentOrigin });
        return data;
      });
  }

  function ready() {
    if (state && state.token) return Promise.resolve(state);
    return session(false);
  }

  // Which token this page goes on with. A page POSTed with a token was rendered for it
  // (unless the server refused it: then start again); a page loaded plainly was rendered
  // by cookies alone, so a kept user token (the popup's) renders it again for its user,
  // and otherwise the session endpoint says who the cookies make us.
  if (body.dataset.tokenRefused === "1") {
    save(null);
    session(false);
  } else if (body.dataset.rendered !== "post" || !state) {
    if (state && state.signedIn && body.dataset.signedIn !== "1") navigate(window.location.href);
    else session(false);
  }

  // --- links and forms ------------------------------------------------------------
  function isSignIn(link) {
    return link.hasAttribute("data-embed-sign-in") || /\/accounts\/login\/?$/.test(link.pathname);
  }

  function openSignIn() {
    var popup = window.open(body.dataset.signInUrl, "broadsheet-sign-in", "width=520,height=680");
    if (!popup) return false;
    window.addEventListener("message", function handover(event) {
      if (event.origin !== window.location.origin || event.source !== popup) return;
      var data = event.data || {};
      if (data.type !== "broadsheet:signed-in" || typeof data.token !== "string") return;
      window.removeEventListener("message", handover);
      save({ token: data.token, signedIn: true, name: data.name, parent: parentOrigin });
      navigate(window.location.href);
    });
    return true;
  }

  // Runs after discussion.js has handled (and prevented) what it enhances.
  window.addEventListener("click", function (event) {
    var signOut = event.target.closest("[data-embed-sign-out]");
    if (signOut) {
      // Ends our session cookie's sign-in too, where the browser sends it here.
      window.fetch(signOut.dataset.embedSignOut, { method: "POST", credentials: "include" })
        .catch(function () { return null; })
        .then(function () { return session(true); })
        .then(function () { navigate(window.location.href); });
      return;
    }
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (link.origin !== window.location.origin) return; // target=_blank already, or the site's own
    if (isSignIn(link)) {
      if (openSignIn()) event.preventDefault();
      return;
    }
    event.preventDefault();
    if (link.pathname === window.location.pathname || link.pathname.indexOf("/embed/") === 0) {
      navigate(link.href);
    } else {
      // Our other pages (a comment's own page, edit) can't be framed: a tab of their own.
      window.open(link.href, "_blank", "noopener");
    }
  });

  // New comments and replies: sent with the token, then the page holding the new
  // comment is shown as its author sees it (held ones included).
  window.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-comment-form]");
    if (!form) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    ready()
      .then(function () {
        return window.fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
        });
      })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (result) {
        if (result.ok && !result.data.message) {
          navigate(body.dataset.threadUrl, { comment: result.data.id });
          return;
        }
        var text = result.ok ? result.data.message : result.data.error.message;
        var note = form.querySelector(".form-error") || document.createElement("p");
        note.className = "form-error";
        note.setAttribute("role", "alert");
        note.textContent = text;
        form.prepend(note);
        if (button) button.disabled = false;
      })
      .catch(function () { if (button) button.disabled = false; });
  }, true);

  document.querySelectorAll("a[href]").forEach(function (link) {
    if (link.origin !== window.location.origin) {
      link.target = "_blank";
      link.rel = (link.rel ? link.rel + " " : "") + "noopener";
    }
  });
  if (/^\d+$/.test(body.dataset.focus || "")) {
    window.addEventListener("load", function () { scrollToComment(body.dataset.focus); });
  }
  tell({ type: "broadsheet:ready" });
})();
