// The waiting room (ticketing/queue.html): polls the status of the pass held in the cookie (the
// server reads only the signed pass, no database) and opens the booking form at the buyer's turn.
(() => {
  const room = document.querySelector("article.queue[data-status-url]");
  if (!room) return;
  const show = (admitted) => {
    room.querySelectorAll("[data-admitted]").forEach(e => e.hidden = !admitted);
    room.querySelectorAll("[data-waiting]").forEach(e => e.hidden = admitted);
  };
  const poll = async () => {
    let next = 3000;
    try {
      const r = await fetch(room.dataset.statusUrl, {headers: {accept: "application/json"}, credentials: "same-origin"});
      if (r.ok) {
        const s = await r.json();
        room.querySelector("[data-ahead]").textContent = s.ahead;
        room.querySelector("[data-wait]").textContent = s.wait_seconds;
        room.querySelector("progress").value = s.progress;
        if (s.admitted) { show(true); location.href = s.buy_url; return; }
        // Poll more often near the turn, rarely when far from it (a few requests per buyer in all).
        next = Math.min(10000, Math.max(1000, s.wait_seconds * 250));
      }
    } catch (e) { next = 5000; }
    setTimeout(poll, next);
  };
  setTimeout(poll, 1000);
})();
