// Staff floor-plan editor: drag a stand to move it, drag near its lower right corner to resize it.
// Positions snap to the plan's grid; each drop is sent to the JSON API (PATCH), which checks overlaps
// and the hall's bounds and answers with the field in error; a refused change goes back where it was.
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function init() {
    var wrap = document.querySelector(".plan-wrap.editor");
    if (!wrap) return;
    var svg = wrap.querySelector("svg");
    var status = document.getElementById("editor-status");
    var grid = parseInt(svg.dataset.grid, 10) || 50;
    var eventId = wrap.dataset.event;
    var drag = null;

    function point(evt) {
      var p = svg.createSVGPoint();
      p.x = evt.clientX; p.y = evt.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    }
    function snap(v) { return Math.max(0, Math.round(v / grid) * grid); }
    function geometry(g) {
      var r = g.querySelector("rect");
      return { x: +r.getAttribute("x"), y: +r.getAttribute("y"), w: +r.getAttribute("width"), h: +r.getAttribute("height") };
    }
    function place(g, box) {
      var r = g.querySelector("rect");
      r.setAttribute("x", box.x); r.setAttribute("y", box.y);
      r.setAttribute("width", box.w); r.setAttribute("height", box.h);
      var t = g.querySelector("text");
      if (t) { t.setAttribute("x", box.x + box.w / 2); t.setAttribute("y", box.y + box.h / 2); }
    }
    svg.addEventListener("pointerdown", function (evt) {
      var g = evt.target.closest(".stand");
      if (!g) return;
      evt.preventDefault();
      var p = point(evt), box = geometry(g);
      var corner = p.x > box.x + box.w - grid * 1.5 && p.y > box.y + box.h - grid * 1.5;
      drag = { g: g, start: p, box: box, mode: corner ? "resize" : "move" };
      g.classList.add("dragging");
      svg.setPointerCapture(evt.pointerId);
    });
    svg.addEventListener("pointermove", function (evt) {
      if (!drag) return;
      var p = point(evt), dx = p.x - drag.start.x, dy = p.y - drag.start.y, b = drag.box;
      if (drag.mode === "move") place(drag.g, { x: snap(b.x + dx), y: snap(b.y + dy), w: b.w, h: b.h });
      else place(drag.g, { x: b.x, y: b.y, w: Math.max(grid, snap(b.w + dx)), h: Math.max(grid, snap(b.h + dy)) });
    });
    svg.addEventListener("pointerup", function () {
      if (!drag) return;
      var d = drag; drag = null;
      d.g.classList.remove("dragging");
      var box = geometry(d.g);
      if (box.x === d.box.x && box.y === d.box.y && box.w === d.box.w && box.h === d.box.h) return;
      fetch("/api/stands/staff/" + eventId + "/stands/" + d.g.dataset.stand, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrftoken": csrf() },
        body: JSON.stringify({ x_cm: box.x, y_cm: box.y, width_cm: box.w, depth_cm: box.h })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        d.g.classList.toggle("refused", !res.ok);
        if (res.ok) { status.textContent = (d.g.dataset.number || "") + " ✓"; return; }
        place(d.g, d.box);
        status.textContent = (d.g.dataset.number || "") + " : " + (res.body.detail || "");
      }).catch(function () { place(d.g, d.box); status.textContent = "⚠"; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
