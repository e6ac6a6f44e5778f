// The library picker, opened by the story editor's picture button: a click
// hands the picture's number, address and words back to the editor's dialog
// (through the CKEditor-style callback the editor listens on) and closes.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-picture]")
  if (!button) return
  const callback = button.closest("[data-callback]").dataset.callback
  const editor = window.opener && !window.opener.closed ? window.opener.CKEDITOR : null
  if (!editor || !editor.tools || !callback) {
    document.querySelector(".picture-picker-closed").hidden = false
    return
  }
  editor.tools.callFunction(callback, button.dataset.src, {
    id: button.dataset.picture,
    alternative_text: button.dataset.alt,
    caption: button.dataset.caption,
  })
  // Closed once this click is handled, not in the middle of it.
  setTimeout(() => window.close(), 0)
})
