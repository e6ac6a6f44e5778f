"use strict"
// The story's "Copy link" button, shown only where a script can copy.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".share-copy")
  const said = document.querySelector(".share-copied")
  if (!button || !navigator.clipboard) return
  button.hidden = false
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.address)
      said.textContent = "Link copied."
    } catch {
      said.textContent = "The link could not be copied; copy it from the address bar."
    }
  })
})
