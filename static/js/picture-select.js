"use strict"
// The lead-picture box: the admin's search-as-you-type select, showing each
// result as a thumbnail with its title and what it still needs to publish.
{
  const $ = django.jQuery

  // A result of the search carries its looks; the picture already chosen
  // when the form opened carries them on its option.
  const looks = (item) => (item.thumbnail ? item : item.element ? item.element.dataset : {})

  const choice = (item) => {
    const { thumbnail, needs } = looks(item)
    if (!item.id || !thumbnail) return item.text
    const row = document.createElement("span")
    row.className = "picture-choice"
    const image = document.createElement("img")
    image.src = thumbnail
    image.alt = ""
    image.width = image.height = 48
    const words = document.createElement("span")
    words.className = "picture-choice-words"
    words.textContent = item.text
    if (needs) {
      const warning = document.createElement("span")
      warning.className = "picture-choice-needs"
      warning.textContent = needs
      words.append(warning)
    }
    row.append(image, words)
    return $(row)
  }

  $(() => {
    $(".picture-autocomplete").each((_, element) => {
      $(element).select2({
        ajax: {
          data: (params) => ({
            term: params.term,
            page: params.page,
            app_label: element.dataset.appLabel,
            model_name: element.dataset.modelName,
            field_name: element.dataset.fieldName,
          }),
        },
        templateResult: choice,
        templateSelection: choice,
      })
      // The story form's social-card preview follows the chosen picture.
      const tell = (social) =>
        element.dispatchEvent(new CustomEvent("picture-chosen", { bubbles: true, detail: { social } }))
      $(element).on("select2:select", (event) => tell(looks(event.params.data).social || ""))
      $(element).on("select2:clear", () => tell(""))
    })
  })
}
