// The booking form (ticketing/buy.html): totals, one attendee block per ticket, the order and the
// waiting list posted to the JSON API with the page's CSRF token.
(() => {
  const form = document.getElementById("order-form");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const eventId = document.querySelector("article[data-event]").dataset.event;
  const fmt = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "fr-FR", {style: "currency", currency: "EUR"});
  const names = {};
  form.querySelectorAll("tr[data-type]").forEach(tr => names[tr.dataset.type] = tr.querySelector("strong").textContent);
  const slots = () => {
    const out = [];
    form.querySelectorAll("input.qty").forEach(q => { for (let i = 0; i < (parseInt(q.value, 10) || 0); i++) out.push(q.dataset.type); });
    return out;
  };
  const render = () => {
    let total = 0;
    form.querySelectorAll("input.qty").forEach(q => total += (parseInt(q.value, 10) || 0) * parseInt(q.dataset.price, 10));
    document.getElementById("total").textContent = fmt.format(total / 100);
    const list = document.getElementById("attendee-list");
    const wanted = slots();
    while (list.children.length > wanted.length) list.lastElementChild.remove();
    while (list.children.length < wanted.length) list.appendChild(document.getElementById("attendee-template").content.firstElementChild.cloneNode(true));
    [...list.children].forEach((div, i) => {
      div.querySelector(".attendee-title").textContent = `${i + 1}. ${names[wanted[i]]}`;
      div.querySelectorAll("input").forEach(inp => { inp.name = `attendees.${i}.${inp.dataset.k}`; inp.dataset.testid = `attendee-${i}-${inp.dataset.k}`; });
      div.querySelector(".field-error").dataset.field = `attendees.${i}`;
    });
    document.getElementById("attendees").hidden = wanted.length < 2;
  };
  form.addEventListener("input", render);
  render();
  const showErrors = (errors, detail) => {
    form.querySelectorAll(".field-error").forEach(e => e.textContent = "");
    const box = form.querySelector(".form-errors");
    box.hidden = false;
    box.textContent = detail || "";
    const items = [...form.querySelectorAll("input.qty")].filter(q => (parseInt(q.value, 10) || 0) !== 0);
    for (const [field, message] of Object.entries(errors || {})) {
      let target = form.querySelector(`.field-error[data-field="${field}"]`);
      const m = field.match(/^items\.(\d+)\./);
      if (m && items[+m[1]]) target = form.querySelector(`[data-type-error="${items[+m[1]].dataset.type}"]`);
      const a = field.match(/^attendees\.(\d+)\./);
      if (a) target = form.querySelector(`.field-error[data-field="attendees.${a[1]}"]`);
      if (target) target.textContent = message;
    }
  };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const wanted = slots();
    const items = [...form.querySelectorAll("input.qty")].map(q => ({ticket_type: +q.dataset.type, quantity: q.value === "" ? 0 : +q.value})).filter(i => i.quantity !== 0);
    const buyer = {name: form["buyer.name"].value, email: form["buyer.email"].value, organisation: form["buyer.organisation"].value};
    let attendees = [...document.querySelectorAll("#attendee-list .attendee")].map(div => ({
      name: div.querySelector('[data-k="name"]').value, email: div.querySelector('[data-k="email"]').value,
      organisation: div.querySelector('[data-k="organisation"]').value}));
    if (wanted.length === 1) attendees = [];
    const body = {buyer, items, attendees, request_approval: form.request_approval.checked,
                  waiting_token: form.waiting_token.value || null, locale: document.documentElement.lang};
    const r = await fetch(`/api/events/${eventId}/orders`, {method: "POST", headers: {"content-type": "application/json", "x-csrftoken": csrf}, body: JSON.stringify(body)});
    const data = await r.json();
    if (!r.ok) { showErrors(data.errors, data.detail); return; }
    location.href = data.status === "pending_payment" ? `/orders/${data.token}/pay` : `/orders/${data.token}`;
  });
  const wf = document.getElementById("waiting-form");
  if (wf) wf.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await fetch(`/api/events/${eventId}/waiting-list`, {method: "POST", headers: {"content-type": "application/json", "x-csrftoken": csrf},
      body: JSON.stringify({name: wf.name.value, email: wf.email.value, ticket_type: +wf.ticket_type.value})});
    const data = await r.json();
    wf.querySelector(".waiting-result").textContent = r.ok ? wf.dataset.joined : (data.detail || "");
  });
})();
