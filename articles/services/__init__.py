"""Every write that matters, by concern: `stories` (the desk's save and the
story's workflow), `updates` (changes scheduled for live stories), `tags`,
`sections` (the section tree and ad slots), `authors`, `checks` (what a
story needs before readers see it) and `pages` (which cached pages a change
makes stale). Pictures keep theirs in
`articles.pictures.services`.

Each service checks `permissions` itself, so the desk, a command, a task
or an import gets every rule by calling it."""
