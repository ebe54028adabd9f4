// Click-to-play recordings: the player is loaded only when the reader asks for it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-embed]");
  if (!link) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.getAttribute("data-embed");
  frame.title = link.textContent.trim();
  frame.allow = "autoplay; fullscreen; picture-in-picture";
  frame.allowFullscreen = true;
  frame.className = "video-frame";
  link.replaceWith(frame);
  frame.focus();
});
