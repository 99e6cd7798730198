// Keeps the run sheet's list of women current while the page is open: check-ins from the
// waiting-room code appear without a reload. Without JavaScript the page's "Refresh" link does.
// A tap on an attendance button is sent without reloading the page; without JavaScript the
// same form posts and the page comes back at her row.
const POLL_MS = 5000;

function container() {
  return document.getElementById("run-sheet-women");
}

function parse(html) {
  return new DOMParser().parseFromString(html, "text/html");
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

// The page's messages (an attendance refused outside the check-in window) are direct children
// of <main>: show the ones the server sent back in place of the old ones.
function showMessages(fresh) {
  const main = document.querySelector("main");
  if (!main) return;
  main.querySelectorAll(":scope > .nhsuk-inset-text[role=status]").forEach((old) => old.remove());
  const first = main.firstElementChild;
  fresh.querySelectorAll("main > .nhsuk-inset-text[role=status]").forEach((message) => {
    main.insertBefore(document.importNode(message, true), first);
  });
}

async function mark(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches(".waitroom-run-sheet__form")) return;
  if (form.dataset.plain) return; // the fallback below: let the browser post it
  event.preventDefault();
  const button = event.submitter;
  const row = form.closest("li")?.id;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form, button),
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) throw new Error(String(response.status));
    const page = parse(await response.text());
    const fresh = page.getElementById("run-sheet-women");
    if (!fresh) throw new Error("no run sheet in the answer");
    showMessages(page);
    container().replaceWith(document.importNode(fresh, true));
    const again = row && document.querySelector(`#${row} button[value="${button.value}"]`);
    if (again) again.focus();
  } catch {
    form.dataset.plain = "1";
    form.requestSubmit(button);
  }
}

if (container()) {
  window.setInterval(poll, POLL_MS);
  document.addEventListener("submit", mark);
}
