// Keeps the run sheet's list of women current while the page is open: check-ins from the
// waiting-room code appear without a reload. Without JavaScript the page's "Refresh" link does.
const POLL_MS = 5000;

function container() {
  return document.getElementById("run-sheet-women");
}

async function poll() {
  const current = container();
  if (!current) return;
  // Never swap the list under someone who is using it (a focused button, a half-made tap).
  if (current.contains(document.activeElement)) return;
  const url = new URL(current.dataset.pollUrl, window.location.href);
  url.searchParams.set("version", current.dataset.version);
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (response.status !== 200) return;
    const html = await response.text();
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.getElementById("run-sheet-women");
    if (fresh) current.replaceWith(fresh);
  } catch {
    // Offline for a moment: try again at the next tick.
  }
}

if (container()) {
  window.setInterval(poll, POLL_MS);
}
