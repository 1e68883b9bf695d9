// The order page (ticketing/order.html): rename an attendee, cancel the order (JSON API, CSRF token).
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const token = document.querySelector("article[data-token]").dataset.token;
  const headers = {"content-type": "application/json", "x-csrftoken": csrf};
  document.querySelectorAll("form.rename").forEach(f => f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await fetch(`/api/orders/${token}/tickets/${f.dataset.ticket}`, {method: "PATCH", headers, body: JSON.stringify({name: f.name.value})});
    const data = await r.json();
    if (r.ok) location.reload(); else f.querySelector(".field-error").textContent = data.detail || "";
  }));
  const c = document.getElementById("cancel-order");
  if (c) c.addEventListener("click", async () => {
    if (!confirm(c.dataset.confirm)) return;
    const r = await fetch(`/api/orders/${token}/cancel`, {method: "POST", headers});
    const data = await r.json();
    if (r.ok) location.reload(); else document.getElementById("cancel-error").textContent = data.detail || "";
  });
})();
