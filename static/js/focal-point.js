"use strict"
// Focal points: a click on the picture sets it (the fields hold fractions
// of the width and height, 0 to 1), and the crops shown beside it follow,
// cut as the renditions cut them: the largest box of each shape, placed so
// the focal point sits as near its centre as the edges allow.
{
  const clamp = (value) => Math.min(Math.max(value, 0), 1)

  // Where `object-position` puts a box of `ratio` so it is that crop.
  const cropPosition = (width, height, ratio, fx, fy) => {
    const [w, h] = ratio.split("/").map(Number)
    const wide = width / height > w / h
    const boxW = wide ? height * (w / h) : width
    const boxH = wide ? height : width / (w / h)
    const left = width > boxW ? clamp((fx * width - boxW / 2) / (width - boxW)) : 0.5
    const top = height > boxH ? clamp((fy * height - boxH / 2) / (height - boxH)) : 0.5
    return `${(left * 100).toFixed(1)}% ${(top * 100).toFixed(1)}%`
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const picker of document.querySelectorAll(".focal-picker")) {
      const picture = picker.querySelector("img")
      const marker = picker.querySelector(".focal-marker")
      const x = document.getElementById(picker.dataset.xField)
      const y = document.getElementById(picker.dataset.yField)
      if (!picture || !x || !y) continue
      const crops = picker.dataset.crops ? document.querySelectorAll(picker.dataset.crops) : []
      const show = () => {
        const fx = Number(x.value), fy = Number(y.value)
        marker.style.left = `${fx * 100}%`
        marker.style.top = `${fy * 100}%`
        const width = picture.naturalWidth || picture.width, height = picture.naturalHeight || picture.height
        for (const crop of crops)
          crop.style.objectPosition = cropPosition(width, height, crop.dataset.ratio, fx, fy)
      }
      show()
      picture.addEventListener("load", show)
      if (picker.hasAttribute("data-locked")) continue
      picture.style.cursor = "crosshair"
      picture.addEventListener("click", (event) => {
        const box = picture.getBoundingClientRect()
        x.value = clamp((event.clientX - box.left) / box.width).toFixed(3)
        y.value = clamp((event.clientY - box.top) / box.height).toFixed(3)
        show()
      })
    }
  })
}
