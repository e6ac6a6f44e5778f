"use strict"
// The lead-picture box: the admin's search-as-you-type select, showing each
// result as a thumbnail with its title and what it still needs to publish.
{
  const $ = django.jQuery

  const choice = (item) => {
    if (!item.id || !item.thumbnail) return item.text
    const row = document.createElement("span")
    row.className = "picture-choice"
    const thumbnail = document.createElement("img")
    thumbnail.src = item.thumbnail
    thumbnail.alt = ""
    thumbnail.width = thumbnail.height = 48
    const words = document.createElement("span")
    words.className = "picture-choice-words"
    words.textContent = item.text
    if (item.needs) {
      const needs = document.createElement("span")
      needs.className = "picture-choice-needs"
      needs.textContent = item.needs
      words.append(needs)
    }
    row.append(thumbnail, words)
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
    })
  })
}
