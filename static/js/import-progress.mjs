// Keeps an import's progress bar moving while the page is open. Without JavaScript the page
// offers a "Refresh" link instead; nothing here is needed for the page to work.
const POLL_MS = 1500;

const box = document.querySelector("[data-import-progress]");

async function poll() {
  let status;
  try {
    const response = await fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return schedule();
    status = await response.json();
  } catch {
    return schedule();
  }
  if (status.done) {
    // The finished page shows the report; load it.
    window.location.assign(status.url);
    return;
  }
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-import-progress-text]");
  bar.value = status.percent;
  bar.textContent = `${status.percent}%`;
  text.textContent = status.total_rows
    ? `${status.processed_rows.toLocaleString("en-GB")} of ${status.total_rows.toLocaleString("en-GB")} rows read`
    : status.status_label;
  schedule();
}

function schedule() {
  window.setTimeout(poll, POLL_MS);
}

if (box && box.dataset.statusUrl) {
  schedule();
}
