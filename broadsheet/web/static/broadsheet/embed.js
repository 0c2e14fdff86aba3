// Broadsheet's discussion under a page of another site:
//
//   <div id="broadsheet-thread"></div>
//   <script src="https://COMMENTS-HOST/embed.js" data-page-url="https://blog.example.com/post/" async></script>
//
// Opens the discussion in an iframe sized to its content. The frame reports its height
// (and asks to scroll to a comment) by postMessage; only messages from the comments host
// and from that iframe are heeded, and the page speaks only to the comments host.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src$='/embed.js']");
  if (!script) return;
  var base = new URL(script.src).origin;
  var holder = document.getElementById(script.dataset.target || "broadsheet-thread");
  if (!holder || holder.querySelector("iframe.broadsheet-thread")) return;

  var canonical = document.querySelector("link[rel=canonical]");
  var pageUrl = script.dataset.pageUrl || (canonical && canonical.href) || window.location.href;
  var params = new URLSearchParams({
    url: pageUrl,
    title: script.dataset.title || document.title,
    origin: window.location.origin,
  });
  var linked = /^#c-(\d+)$/.exec(window.location.hash);
  if (linked) params.set("comment", linked[1]);

  var frame = document.createElement("iframe");
  frame.className = "broadsheet-thread";
  frame.title = script.dataset.frameTitle || "Comments";
  frame.src = base + "/embed/?" + params.toString();
  frame.setAttribute("loading", "lazy");
  frame.style.cssText = "width:100%;border:0;overflow:hidden;min-height:200px;height:400px;";
  holder.appendChild(frame);

  window.addEventListener("message", function (event) {
    if (event.origin !== base || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "broadsheet:resize" && typeof data.height === "number" && data.height > 0) {
      frame.style.height = Math.ceil(Math.min(data.height, 1e6)) + "px";
    } else if (data.type === "broadsheet:scroll" && typeof data.top === "number") {
      var top = frame.getBoundingClientRect().top + window.scrollY + data.top;
      window.scrollTo({ top: Math.max(0, top - 16), behavior: "smooth" });
    } else if (data.type === "broadsheet:ready") {
      holder.setAttribute("data-loaded", "true");
    }
  });

  // A link to one comment (#c-123) followed while the page is open.
  window.addEventListener("hashchange", function () {
    var match = /^#c-(\d+)$/.exec(window.location.hash);
    if (match) frame.contentWindow.postMessage({ type: "broadsheet:focus", comment: match[1] }, base);
  });
})();
