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
});

// Put keyboard and screen-reader focus on the error summary when a form comes back with errors.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
});
