"use strict"
// The story form's writing aids: Ctrl/Cmd+S saves; counts under the
// headline, standfirst and body; previews of the story as a search engine
// lists it and as a social card shows it; typing kept on the server as it
// happens, and who else has the story open.
{
  const WORDS_A_MINUTE = 230
  // As search engines cut them.
  const TITLE_SHOWN = 60
  const DESCRIPTION_SHOWN = 160

  const cut = (text, length) =>
    text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text

  const slugOf = (text) =>
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 120)

  const plural = (count, one, many) => `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`

  // A line under `field` that `say` fills in, read out with the field.
  const countLine = (field, id) => {
    const line = document.createElement("p")
    line.className = "story-count"
    line.id = id
    const describedBy = field.getAttribute("aria-describedby")
    field.setAttribute("aria-describedby", describedBy ? `${describedBy} ${id}` : id)
    return line
  }

  const countCharacters = (field) => {
    const limit = Number(field.getAttribute("maxlength")) || 0
    const line = countLine(field, `${field.id}_count`)
    field.insertAdjacentElement("afterend", line)
    const say = () => {
      // As the server counts them: a line break is one character.
      const used = field.value.replace(/\r\n/g, "\n").length
      line.classList.toggle("over", limit > 0 && used > limit)
      line.textContent = limit
        ? used > limit
          ? `${plural(used - limit, "character", "characters")} over the limit of ${limit}`
          : `${used} of ${limit} characters`
        : plural(used, "character", "characters")
    }
    field.addEventListener("input", say)
    say()
  }

  const bodyText = (form) => {
    const editor = form.querySelector(".field-body .ProseMirror[contenteditable]")
    return editor ? editor.innerText : ""
  }

  const countBody = (form) => {
    const row = form.querySelector(".field-body")
    if (!row) return
    const line = document.createElement("p")
    line.className = "story-count story-body-count"
    line.setAttribute("aria-live", "off")
    row.append(line)
    let waiting = false
    const count = () => {
      waiting = false
      const words = (bodyText(form).match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) || []).length
      const minutes = Math.max(1, Math.round(words / WORDS_A_MINUTE))
      line.textContent = `${plural(words, "word", "words")} · about ${plural(minutes, "minute", "minutes")} to read`
    }
    // Once a frame at most, however many changes a keystroke makes.
    const say = () => {
      if (!waiting) requestAnimationFrame(count)
      waiting = true
    }
    // The editor appears after this script runs.
    new MutationObserver(say).observe(row, { childList: true, subtree: true, characterData: true })
    say()
  }

  const previews = (form, layout) => {
    const value = (id) => (form.querySelector(`#${id}`) || { value: "" }).value.trim()
    const shown = (name) => layout.querySelectorAll(`[data-preview="${name}"]`)
    const fill = (name, text) => shown(name).forEach((node) => (node.textContent = text))
    const say = () => {
      const headline = value("id_headline") || "Your headline"
      const standfirst = value("id_standfirst") || "The standfirst, which search engines and social networks show under the headline."
      fill("title", cut(`${headline} | ${layout.dataset.siteName}`, TITLE_SHOWN))
      fill("headline", headline)
      fill("standfirst", cut(standfirst, DESCRIPTION_SHOWN))
      const address = layout.dataset.address
      fill("path", address ? address.replace(/^\/|\/$/g, "").split("/").join(" › ") : slugOf(value("id_slug") || headline))
    }
    form.addEventListener("input", say)
    say()
    // The social card shows the crop a network shows of the lead picture.
    layout.addEventListener("picture-chosen", (event) => {
      // Without one, networks show the site's own card.
      shown("picture").forEach((image) => (image.src = event.detail.social || image.dataset.fallback))
    })
  }

  // Ctrl+S or Cmd+S saves and stays on the story, as in any editor.
  const saveKey = (form) => {
    document.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return
      const save = form.querySelector('input[name="_continue"]') || form.querySelector('input[name="_save"]')
      if (!save) return
      event.preventDefault()
      form.requestSubmit(save)
    })
  }

  // The form reports to the server as the editor works: every few seconds
  // that it is open, and soon after typing what is typed, which the server
  // keeps unsaved (not a revision) and offers back after a reload or a
  // crash. Its answer says who else has the story open and who saved it
  // since this form was opened. Leaving with unsaved changes asks first.
  const REPORT_EVERY = 15000
  const KEEP_AFTER = 1500

  const editing = (form, layout) => {
    // What the form holds, as it would send it.
    const state = () => {
      const data = new FormData(form)
      data.delete("csrfmiddlewaretoken")
      return new URLSearchParams(data).toString()
    }
    // The form as it opened, once its editors are set up (the body editor
    // may tidy the stored text as it starts): changed means different from
    // this. Put back, or sent back refused, the form is not saved at all.
    const unsaved = layout.hasAttribute("data-restored") || layout.hasAttribute("data-refused")
    let opened = null
    let touched = false
    const settle = () => {
      if (opened === null || !touched) opened = state()
    }
    // Touched by the person (the body editor's own events are not theirs).
    for (const kind of ["keydown", "pointerdown", "paste", "drop", "input"])
      form.addEventListener(kind, (event) => event.isTrusted && (touched = true), { capture: true })
    window.addEventListener("load", () => setTimeout(settle))
    document.addEventListener("prose-editor:ready", () => setTimeout(settle))
    const changed = () => unsaved || (opened !== null && state() !== opened)

    let submitting = false
    form.addEventListener("submit", () => (submitting = true))
    window.addEventListener("beforeunload", (event) => {
      if (!submitting && changed()) event.preventDefault()
    })

    const url = layout.dataset.sessionUrl
    if (!url) return
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value
    const version = Number((form.elements.base_version || {}).value || 0)
    const kept = layout.dataset.keptFields.split(" ")
    const offer = layout.querySelector("[data-unsaved-offer]")
    const status = layout.querySelector(".story-autosave")
    const others = layout.querySelector(".story-sessions")
    // Typed since the last report; held back while earlier unsaved text
    // waits to be put back or discarded, so it is not overwritten.
    let unsent = unsaved
    let waiting = Boolean(offer)
    let timer = null

    const typed = () =>
      Object.fromEntries(
        kept.filter((name) => form.elements[name] && form.elements[name].value !== undefined)
          .map((name) => [name, form.elements[name].value]),
      )

    const send = (report, keepalive = false) =>
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ version, ...report }),
      })

    const show = (answer) => {
      const lines = []
      if (answer.newer && answer.version > version)
        lines.push(`${answer.newer.name} saved this story at ${answer.newer.at}, after you opened it. Saving yours will be refused: copy your changes, then open the story again.`)
      if (answer.others && answer.others.length)
        lines.push(`Also open now by ${answer.others.join(", ")}.`)
      others.hidden = !lines.length
      others.textContent = lines.join(" ")
      if (answer.kept) status.textContent = `Your typing is kept (${answer.kept}); save to put it on the story.`
    }

    const report = async () => {
      clearTimeout(timer)
      timer = null
      if (submitting) return
      const sending = unsent && !waiting
      // Typed back to what is saved: nothing is unsaved.
      const body = sending ? { unsaved: changed() ? typed() : {} } : {}
      if (sending) unsent = false
      try {
        const response = await send(body)
        const answer = await response.json()
        if (!response.ok) throw new Error(answer.error || "not kept")
        show(answer)
      } catch (error) {
        if (sending) unsent = true
        status.textContent = "Your typing is not being kept on the server just now; keep this window open and save when you can."
      }
    }

    form.addEventListener("input", () => {
      if (!touched) return
      unsent = true
      if (!waiting && !timer) timer = setTimeout(report, KEEP_AFTER)
    })
    if (offer) {
      status.textContent = "Your typing is not kept until you put back or discard your earlier text."
      offer.querySelector("[data-discard-unsaved]").addEventListener("click", async () => {
        const response = await send({ unsaved: {} })
        if (!response.ok) return
        offer.remove()
        waiting = false
        status.textContent = ""
        report()
      })
    }
    report()
    setInterval(report, REPORT_EVERY)
    window.addEventListener("pagehide", () => send({ leaving: true }, true))
  }

  // Pictures: the lead picture is chosen or uploaded in the library's
  // picker, which sends it back here; the body editor's picture dialog
  // shows the chosen picture, not the address the editor keeps for it.
  const PICKER_WINDOW = "width=900,height=760"

  const leadPicture = (form, layout) => {
    const select = form.querySelector("#id_lead_image")
    if (!select || select.disabled) return
    const open = document.createElement("button")
    open.type = "button"
    open.className = "button story-lead-picker"
    open.textContent = "Choose or upload a picture…"
    let picker = null
    open.addEventListener("click", () => {
      picker = window.open(layout.dataset.leadPicker, "lead-picture", PICKER_WINDOW)
    })
    select.closest(".related-widget-wrapper").after(open)
    window.addEventListener("message", (event) => {
      const chosen = event.data
      // Only from the picker this form opened.
      if (event.origin !== window.location.origin || !picker || event.source !== picker) return
      if (!chosen || chosen.kind !== "newsroom:lead-picture") return
      const option = new Option(chosen.title, chosen.id, true, true)
      Object.assign(option.dataset, { thumbnail: chosen.thumbnail, social: chosen.social, needs: chosen.needs || "" })
      const $ = django.jQuery
      $(select).find(`option[value="${CSS.escape(chosen.id)}"]`).remove()
      $(select).append(option).trigger("change")
      select.dispatchEvent(new CustomEvent("picture-chosen", { bubbles: true, detail: { social: chosen.social } }))
      form.dispatchEvent(new Event("input", { bubbles: true }))
    })
  }

  const tidyPictureDialog = (dialog) => {
    const address = dialog.querySelector("input[name=imageUrl]")
    if (!address || address.dataset.tidied) return
    address.dataset.tidied = "true"
    const field = address.closest(".prose-editor-dialog-field")
    field.querySelector("label").textContent = "Picture"
    // Kept for the editor, out of sight and out of the way.
    address.classList.add("story-hidden-address")
    address.tabIndex = -1
    address.setAttribute("aria-hidden", "true")
    const browse = field.querySelector("button")
    if (browse) browse.textContent = "Choose or upload a picture…"
    const shown = document.createElement("img")
    shown.className = "story-dialog-picture"
    shown.alt = ""
    const missing = document.createElement("p")
    missing.className = "errorlist story-dialog-missing"
    missing.textContent = "Choose a picture first."
    missing.hidden = true
    field.append(shown, missing)
    const show = () => {
      shown.hidden = !address.value
      if (address.value && shown.getAttribute("src") !== address.value) shown.src = address.value
      if (address.value) missing.hidden = true
    }
    show()
    // The picker fills the address without telling anyone.
    const watching = setInterval(() => (dialog.isConnected ? show() : clearInterval(watching)), 300)
    // The editor checks the dialog before inserting: an empty address, a
    // picture not chosen yet, is said so here.
    address.addEventListener("invalid", () => (missing.hidden = false))
  }

  const pictureDialogs = () => {
    const tidy = () => document.querySelectorAll(".prose-editor-dialog").forEach(tidyPictureDialog)
    new MutationObserver(tidy).observe(document.body, { childList: true, subtree: true })
  }

  // Buttons that undo work ask first.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]")
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault()
  })

  document.addEventListener("DOMContentLoaded", () => {
    const layout = document.querySelector("[data-story-form]")
    if (!layout) return
    const form = layout.closest("form")
    form.querySelectorAll("#id_headline, #id_standfirst").forEach(countCharacters)
    // A headline is one line, however long: Enter does not break it.
    form.querySelector("#id_headline")?.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault()
    })
    countBody(form)
    previews(form, layout)
    saveKey(form)
    editing(form, layout)
    leadPicture(form, layout)
    pictureDialogs()
  })
}
