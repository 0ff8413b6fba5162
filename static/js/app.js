// Small page interactions, registered with Alpine.data so the CSP build can run them
// (attributes name properties and methods; nothing is evaluated from strings).
document.addEventListener("alpine:init", () => {
  // A "Copy" button beside a one-time link: <div x-data="copyText"> with a [data-copy-source].
  window.Alpine.data("copyText", () => ({
    copied: false,
    async copy() {
      const source = this.$root.querySelector("[data-copy-source]");
      await navigator.clipboard.writeText(source.textContent.trim());
      this.copied = true;
    },
  }));

  // The tally of an interaction snapshot: <div x-data="snapshotTally"> holding a button per
  // kind (data-kind) and a hidden input per count (data-tally-count). The counts start from the
  // inputs, so a page shown again after an error keeps them; the watch starts when the page
  // opens (or is shown again from the browser's history, as a new tally).
  const MAX_COUNT = 999;
  const MAX_MINUTES = 60;
  window.Alpine.data("snapshotTally", () => ({
    counts: {},
    history: [],
    startedAt: "",
    now: Date.now(),
    said: "",
    init() {
      this.begin(this.$root.querySelector("[name=started_at]").value);
      window.addEventListener("pageshow", (event) => event.persisted && this.begin(""));
      setInterval(() => (this.now = Date.now()), 1000);
    },
    begin(startedAt) {
      const counts = {};
      for (const input of this.$root.querySelectorAll("[data-tally-count]")) {
        counts[input.dataset.tallyCount] = startedAt ? Math.min(MAX_COUNT, Math.max(0, Math.trunc(Number(input.value)) || 0)) : 0;
      }
      this.counts = counts;
      this.history = [];
      this.startedAt = Number.isNaN(Date.parse(startedAt)) ? new Date().toISOString() : startedAt;
      this.now = Date.now();
    },
    label(kind) {
      return this.$root.querySelector(`[data-kind="${kind}"] .tally__label`).textContent;
    },
    tap(event) {
      const kind = event.target.closest("[data-kind]").dataset.kind;
      if (this.counts[kind] >= MAX_COUNT) return;
      this.counts[kind] += 1;
      this.history.push(kind);
      this.said = `${this.label(kind)}: ${this.counts[kind]}`;
    },
    undo() {
      const kind = this.history.pop();
      if (!kind) return;
      this.counts[kind] -= 1;
      this.said = `Undone. ${this.label(kind)}: ${this.counts[kind]}`;
    },
    get nothingToUndo() {
      return this.history.length === 0;
    },
    get empty() {
      return Object.values(this.counts).every((count) => count === 0);
    },
    get seconds() {
      return Math.max(0, Math.floor((this.now - Date.parse(this.startedAt)) / 1000));
    },
    get minutes() {
      return Math.min(MAX_MINUTES, Math.max(1, Math.ceil(this.seconds / 60)));
    },
    get clock() {
      return `${Math.floor(this.seconds / 60)}:${String(this.seconds % 60).padStart(2, "0")}`;
    },
  }));
});

// Put keyboard and screen-reader focus on the error summary when a form comes back with errors.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
});
