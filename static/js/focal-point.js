// The picture form: a click on the picture sets its focal point (the
// fields hold fractions of the width and height, 0 to 1).
document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll(".focal-picker")) {
    const picture = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    const x = document.getElementById(picker.dataset.xField);
    const y = document.getElementById(picker.dataset.yField);
    if (!picture || !x || !y) continue;
    picture.style.cursor = "crosshair";
    picture.addEventListener("click", (event) => {
      const box = picture.getBoundingClientRect();
      const fx = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
      const fy = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
      x.value = fx.toFixed(3);
      y.value = fy.toFixed(3);
      marker.style.left = `${fx * 100}%`;
      marker.style.top = `${fy * 100}%`;
    });
  }
});
