"use strict"
// Forms that undo work (delete an entry, end coverage) ask first.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]")
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault()
})
