// The front page form: drag a row by its handle to move the story; the
// rows holding a story are then numbered in their new order (1 leads), as
// an editor could have typed. The numbers are what the server reads.
(function () {
  "use strict";
  const body = document.querySelector(".placings tbody");
  if (!body) return;
  let dragged = null;

  function renumber() {
    let place = 0;
    for (const row of body.querySelectorAll("tr.placing")) {
      const order = row.querySelector(".place input");
      const story = row.querySelector(".story select");
      // A row without a story keeps no number, so it stays an empty row.
      order.value = story && story.value ? String(++place) : "";
    }
  }

  body.addEventListener("dragstart", function (event) {
    const handle = event.target.closest(".drag-handle");
    if (!handle) return;
    dragged = handle.closest("tr");
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
    event.dataTransfer.setDragImage(dragged, 0, 0);
  });
  body.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    const row = event.target.closest("tr.placing");
    if (!row || row === dragged) return;
    const box = row.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    body.insertBefore(dragged, after ? row.nextSibling : row);
  });
  body.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });
  body.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    renumber();
  });
})();
