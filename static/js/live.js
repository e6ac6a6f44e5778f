"use strict"
// A live story's open page picks up entries without a reload: it asks for
// the entries alone every little while, with the version it holds
// (If-None-Match), and gets 304 Not Modified while nothing changed. New
// entries go on top and are told to screen readers politely; changed ones
// are replaced where they stand, deleted ones removed. It stops when the
// coverage ends, and asks nothing while the page is hidden.
;(() => {
  const live = document.querySelector(".live[data-updates]")
  const status = document.querySelector(".live-status")
  if (!live || live.hasAttribute("data-ended") || !window.fetch || !window.DOMParser) return
  const EVERY_MS = Math.max(Number(live.dataset.every) || 15, 1) * 1000
  let version = null
  let timer = null
  let asking = false
  let gone = false

  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(ask, EVERY_MS)
  }

  async function ask() {
    if (document.hidden || asking || gone) return
    asking = true
    try {
      const answer = await fetch(live.dataset.updates, {
        headers: version ? { "If-None-Match": version } : {},
        cache: "no-store",
        credentials: "omit",
      })
      if (answer.status === 200) {
        version = answer.headers.get("ETag")
        apply(await answer.text())
      } else if (answer.status === 404 || answer.status === 410) {
        // Taken down, or no longer live coverage: nothing more to ask for.
        gone = true
      }
    } catch {
      // Offline for a moment: the next turn asks again.
    } finally {
      asking = false
    }
    if (!gone && !live.hasAttribute("data-ended")) schedule()
  }

  function apply(html) {
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".live")
    if (!fresh) return
    for (const part of [".live-heading", ".live-key-events", ".live-pinned"]) {
      const mine = live.querySelector(part)
      const theirs = fresh.querySelector(part)
      if (mine && theirs && mine.innerHTML !== theirs.innerHTML) mine.replaceWith(document.importNode(theirs, true))
    }
    const list = live.querySelector(".live-entries")
    const held = new Map([...list.querySelectorAll(":scope > [data-entry]")].map((node) => [node.dataset.entry, node]))
    const added = []
    const nodes = [...fresh.querySelector(".live-entries").children].map((node) => {
      const mine = held.get(node.dataset.entry)
      if (mine && mine.dataset.version === node.dataset.version) return mine
      const made = document.importNode(node, true)
      if (!mine && node.dataset.entry) added.push(made)
      return made
    })
    list.replaceChildren(...nodes)
    if (added.length && status) {
      const first = added[0].querySelector("h3") || added[0].querySelector(".entry-body")
      const words = (first ? first.textContent : "").trim().slice(0, 120)
      status.textContent = added.length === 1 ? `New update: ${words}` : `${added.length} new updates. Latest: ${words}`
    }
    if (fresh.hasAttribute("data-ended")) {
      live.setAttribute("data-ended", "")
      document.querySelector(".live-kicker")?.remove()
      if (status) status.textContent = "Coverage has ended."
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !gone && !live.hasAttribute("data-ended")) ask()
  })
  schedule()
})()
