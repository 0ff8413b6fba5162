// Offline-first on the page: register the service worker, save captures to the outbox first,
// send them when there is signal, and show the sync state on every page.
(function () {
  "use strict";

  const outbox = window.ShiftOutbox;
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("shift-companion-outbox") : null;
  const userId = () => document.body.dataset.userId || "";
  let timer = null;

  function announce() {
    if (channel) channel.postMessage("changed");
    document.dispatchEvent(new CustomEvent("outbox-changed"));
  }

  async function flush() {
    if (!userId()) return;
    await outbox.flush(userId());
    announce();
    await scheduleRetry();
  }

  // While items wait, try again when the soonest is due (network errors back off).
  async function scheduleRetry() {
    clearTimeout(timer);
    const { waiting, nextAttemptAt } = await outbox.counts(userId());
    if (waiting) timer = setTimeout(flush, Math.max(1000, nextAttemptAt - Date.now()));
  }

  async function requestBackgroundSync() {
    const registration = await navigator.serviceWorker?.ready;
    if (registration && "sync" in registration && "SyncManager" in window) {
      await registration.sync.register("outbox").catch(() => undefined);
    }
  }

  function startSync() {
    if (!userId()) return;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    flush();
    window.addEventListener("online", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush();
    });
    if (channel) channel.onmessage = () => document.dispatchEvent(new CustomEvent("outbox-changed"));
  }

  // --- the service worker, and "Update" instead of a reload under someone's form ----------

  function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
      const offer = () => document.dispatchEvent(new CustomEvent("update-ready", { detail: registration }));
      if (registration.waiting && navigator.serviceWorker.controller) offer();
      registration.addEventListener("updatefound", () => {
        const incoming = registration.installing;
        incoming?.addEventListener("statechange", () => {
          if (incoming.state === "installed" && navigator.serviceWorker.controller) offer();
        });
      });
      keepNoteFormsForOffline(registration);
    });
    let reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (!reloading && sessionStorage.getItem("shift-update-asked")) {
        reloading = true;
        sessionStorage.removeItem("shift-update-asked");
        window.location.reload();
      }
    });
  }

  // The note form of each person on the home screen, kept so notes can be written offline.
  function keepNoteFormsForOffline(registration) {
    const urls = [...document.querySelectorAll("a[data-keep-offline]")].map((link) => link.href);
    const worker = registration.active || navigator.serviceWorker.controller;
    if (urls.length && worker) worker.postMessage({ type: "keep-pages", urls });
  }

  // --- what a capture form sends -----------------------------------------------------------

  function chosen(form, name) {
    const value = (new FormData(form).get(name) || "").toString().trim();
    return value === "" || value === "none" ? null : value;
  }

  function localTime(value) {
    return value ? new Date(value).toISOString() : null;
  }

  const PAYLOADS = {
    engagement_note(form) {
      const data = new FormData(form);
      return {
        person_id: form.dataset.personId,
        level: Number(chosen(form, "level")),
        occurred_at: localTime(chosen(form, "occurred_at")),
        started_by: chosen(form, "started_by"),
        mood: chosen(form, "mood"),
        activity: (data.get("activity") || "").toString(),
        helped: data.getAll("helped").map(String),
        helped_note: (data.get("helped_note") || "").toString(),
        hindered: data.getAll("hindered").map(String),
        hindered_note: (data.get("hindered_note") || "").toString(),
        restrictive_practice: chosen(form, "restrictive_practice"),
        restrictive_reason: (data.get("restrictive_reason") || "").toString(),
        theme_id: chosen(form, "theme_id"),
      };
    },

    handover_prompt_response(form) {
      const prefix = form.dataset.prefix;
      return {
        handover_id: form.dataset.handoverId,
        prompt_id: form.dataset.promptId,
        discussed: chosen(form, `${prefix}discussed`) === "yes",
        note: (new FormData(form).get(`${prefix}note`) || "").toString(),
      };
    },

    handover_acknowledgement(form) {
      return { handover_id: form.dataset.handoverId };
    },

    observation(form) {
      const data = new FormData(form);
      const text = (name) => (data.get(name) || "").toString();
      const ratings = {};
      for (const [name, value] of data.entries()) {
        if (name.startsWith("ratings.")) ratings[name.slice(8)] = value === "none" ? null : Number(value);
      }
      const actions = [];
      for (let row = 0; data.has(`actions.${row}.description`); row += 1) {
        const description = text(`actions.${row}.description`).trim();
        if (!description && !text(`actions.${row}.owner_id`)) continue;
        actions.push({
          id: crypto.randomUUID(),
          description,
          owner_id: text(`actions.${row}.owner_id`) || null,
          due_on: text(`actions.${row}.due_on`) || null,
        });
      }
      return {
        site_id: form.dataset.siteId,
        theme_id: text("theme_id"),
        observed_user_id: chosen(form, "observed_user_id"),
        observed_at: localTime(chosen(form, "observed_at")),
        location: text("location"),
        ratings,
        could_explain: text("could_explain") || "not_asked",
        context_notes: text("context_notes"),
        went_well: text("went_well"),
        next_step: text("next_step"),
        follow_up_on: chosen(form, "follow_up_on"),
        actions,
      };
    },
  };

  document.addEventListener("alpine:init", () => {
    const Alpine = window.Alpine;

    Alpine.data("syncStatus", () => ({
      known: false,
      waiting: 0,
      attention: 0,
      init() {
        this.refresh();
        document.addEventListener("outbox-changed", () => this.refresh());
      },
      async refresh() {
        if (!userId()) return;
        const counts = await outbox.counts(userId());
        this.waiting = counts.waiting;
        this.attention = counts.attention;
        this.known = true;
      },
      get label() {
        if (this.attention) return `▲ ${this.attention} need${this.attention === 1 ? "s" : ""} attention`;
        if (this.waiting) return `◐ ${this.waiting} waiting — will send when there's signal`;
        return "● All sent";
      },
    }));

    // A capture form writes to the outbox first, says so at once, then sends.
    Alpine.data("outboxForm", () => ({
      async save(event) {
        const form = event.target;
        const build = PAYLOADS[form.dataset.outboxType];
        const required = form.dataset.requires;
        const onlyOffline = form.dataset.outboxWhen === "offline" && navigator.onLine;
        if (!build || onlyOffline || (required && !chosen(form, required))) {
          form.submit(); // with signal, or when something is missing: the server answers
          return;
        }
        const id = crypto.randomUUID();
        await outbox.add({
          id,
          type: form.dataset.outboxType,
          payload: build(form),
          userId: userId(),
          label: form.dataset.outboxLabel || "",
        });
        sessionStorage.setItem("shift-just-saved", JSON.stringify({ id, label: form.dataset.outboxLabel || "" }));
        announce();
        requestBackgroundSync();
        const done = form.dataset.doneUrl || "/home";
        if (done === window.location.pathname) window.location.reload();
        else window.location.href = done;
      },
    }));

    Alpine.data("justSaved", () => ({
      label: "",
      sent: false,
      id: "",
      init() {
        const saved = JSON.parse(sessionStorage.getItem("shift-just-saved") || "null");
        if (!saved) return;
        sessionStorage.removeItem("shift-just-saved");
        this.id = saved.id;
        this.label = saved.label;
        this.check();
        document.addEventListener("outbox-changed", () => this.check());
      },
      async check() {
        const items = await outbox.forUser(userId());
        this.sent = !items.some((item) => item.id === this.id);
      },
      get shown() {
        return this.label !== "";
      },
      get message() {
        return this.sent ? `Sent: ${this.label}` : `Saved on this phone: ${this.label}`;
      },
    }));

    Alpine.data("needsAttention", () => ({
      items: [],
      init() {
        this.load();
        document.addEventListener("outbox-changed", () => this.load());
      },
      async load() {
        this.items = (await outbox.forUser(userId())).sort((a, b) => a.createdAt - b.createdAt);
      },
      async resend(event) {
        await outbox.resend(event.target.dataset.id);
        await flush();
      },
      async discard(event) {
        const { id, label } = event.target.dataset;
        if (window.confirm(`Discard "${label}"? It has not reached the server and will be lost.`)) {
          await outbox.remove(id);
          announce();
        }
      },
    }));

    // Signing out on a shared phone: send what waits first; keep what cannot be sent for this
    // person, with a warning; forget this person's pages so the next person sees nothing.
    Alpine.data("signOut", () => ({
      async leave(event) {
        const form = event.target;
        await outbox.flush(userId()).catch(() => undefined);
        const { waiting, attention } = await outbox.counts(userId());
        const left = waiting + attention;
        if (left && !window.confirm(
          `${left} record${left === 1 ? " is" : "s are"} not sent yet. ` +
          "They stay on this phone, kept for you, and are sent when you next sign in here. Sign out anyway?",
        )) return;
        sessionStorage.clear();
        const worker = navigator.serviceWorker?.controller;
        if (worker) worker.postMessage({ type: "forget-pages" });
        if ("caches" in window) await caches.delete("pages");
        form.submit();
      },
    }));

    Alpine.data("updateBanner", () => ({
      registration: null,
      init() {
        document.addEventListener("update-ready", (event) => (this.registration = event.detail));
      },
      get shown() {
        return this.registration !== null;
      },
      update() {
        sessionStorage.setItem("shift-update-asked", "1");
        this.registration.waiting?.postMessage({ type: "skip-waiting" });
      },
    }));
  });

  registerServiceWorker();
  startSync();
})();
