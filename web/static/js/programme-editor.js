// Court d'Ici programme editor: on a desktop, drag a film to another place; the new order is posted as
// one "reorder" edit (the server checks it, saves the draft and shows the figures again). Buttons do the
// same on a phone and without JavaScript.
(function () {
  "use strict";
  function init() {
    var list = document.querySelector(".running-order");
    var form = document.getElementById("reorder-form");
    if (!list || !form || !window.matchMedia("(pointer: fine)").matches) return;
    document.documentElement.classList.add("js");
    var dragged = null;
    Array.prototype.forEach.call(list.children, function (li) {
      li.setAttribute("draggable", "true");
      li.addEventListener("dragstart", function (e) {
        dragged = li;
        li.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", li.dataset.entry);
      });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
      li.addEventListener("dragover", function (e) {
        if (!dragged || dragged === li) return;
        e.preventDefault();
        li.classList.add("drop-target");
      });
      li.addEventListener("dragleave", function () { li.classList.remove("drop-target"); });
      li.addEventListener("drop", function (e) {
        e.preventDefault();
        li.classList.remove("drop-target");
        if (!dragged || dragged === li) return;
        var items = Array.prototype.slice.call(list.children);
        var before = items.indexOf(dragged) > items.indexOf(li) ? li : li.nextSibling;
        list.insertBefore(dragged, before);
        var order = Array.prototype.map.call(list.children, function (x) { return x.dataset.entry; });
        form.querySelector("input[name='order']").value = order.join(",");
        form.submit();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
