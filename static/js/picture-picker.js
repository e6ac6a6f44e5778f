"use strict"
// The library picker, opened by the story editor's picture buttons. A click
// on a picture hands it back to the window that opened the picker: to the
// body editor's dialog through the CKEditor-style callback it listens on,
// or to the story form's lead picture by a message. After an upload and
// its focal point, the picture goes back at once.
{
  const placeInBody = (button, callback) => {
    const editor = window.opener.CKEDITOR
    if (!editor || !editor.tools) return false
    editor.tools.callFunction(callback, button.dataset.src, {
      id: button.dataset.picture,
      alternative_text: button.dataset.alt,
      caption: button.dataset.caption,
    })
    return true
  }

  const placeAsLead = (button) => {
    const { picture, title, thumbnail, social, needs } = button.dataset
    window.opener.postMessage(
      { kind: "newsroom:lead-picture", id: picture, title, thumbnail, social, needs },
      window.location.origin,
    )
    return true
  }

  const place = (button) => {
    const callback = button.closest("[data-callback]").dataset.callback
    const forLead = new URLSearchParams(window.location.search).get("for") === "lead"
    const opener = window.opener && !window.opener.closed
    const placed = opener && (forLead ? placeAsLead(button) : callback && placeInBody(button, callback))
    if (!placed) {
      document.querySelector(".picture-picker-closed").hidden = false
      return
    }
    // Closed once this click is handled, not in the middle of it.
    setTimeout(() => window.close(), 0)
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-picture]")
    if (button) place(button)
  })

  document.addEventListener("DOMContentLoaded", () => {
    const chosen = document.querySelector("[data-choose-now] [data-picture]")
    if (chosen) place(chosen)
  })
}
