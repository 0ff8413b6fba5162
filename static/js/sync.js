// Offline-first on the page: register the service worker, save captures to the outbox first,
// send them when there is signal, and show the sync state on every page.
(function () {
  "use strict";

  const outbox = window.ShiftOutbox;
  const session = window.ShiftSession;
  const LOGIN_URL = "/login";
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

  // A sign-out made with no signal is finished before anything else is sent; a page shown for
  // the person who signed out (a browser without the worker) gives way to the sign-in page.
  async function signedOutHere() {
    const outcome = await session.endIfAsked();
    if (outcome === "none") return false;
    if (outcome === "ended" && userId()) window.location.replace(LOGIN_URL);
    if (outcome === "waiting") window.addEventListener("online", signedOutHere, { once: true });
    return true;
  }

  // While items wait, try again when the soonest is due (network errors back off).
  async function scheduleRetry() {
    clearTimeout(timer);
    const { waiting, nextAttemptAt } = await outbox.counts(userId());
    if (waiting) timer = setTimeout(flush, Math.max(1000, nextAttemptAt - Date.now()));
  }

  async function requestBackgroundSync(tag = "outbox") {
    const registration = await navigator.serviceWorker?.ready;
    if (registration && "sync" in registration && "SyncManager" in window) {
      await registration.sync.register(tag).catch(() => undefined);
    }
  }

  function startSync() {
    if (!userId()) return;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    flush();
    window.addEventListener("online", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      flush();
      // A phone may keep the app open all shift: look for a new release when it is opened again.
      navigator.serviceWorker?.getRegistration().then((registration) => registration?.update());
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

  // The pages a person needs with no signal, kept as soon as the worker runs: the note form of
  // each person on the home screen, home itself, and the outbox page behind the sync state.
  async function keepPagesForOffline() {
    const urls = [...document.querySelectorAll("a[data-keep-offline]")].map((link) => link.href);
    const registration = await navigator.serviceWorker.ready;
    if (urls.length && userId()) registration.active?.postMessage({ type: "keep-pages", urls });
  }

  // --- what a capture form sends -----------------------------------------------------------

  function chosen(form, name) {
    const value = (new FormData(form).get(name) || "").toString().trim();
    return value === "" || value === "none" ? null : value;
  }

  function localTime(value) {
    return value ? new Date(value).toISOString() : null;
  }

  // A note or observation saved on the phone carries the moment it was written: it may reach
  // the server much later, and "when" must not become the moment of signal.
  function here() {
    return window.location.pathname + window.location.search;
  }

  function writtenAt(value) {
    return localTime(value) || new Date().toISOString();
  }

  const PAYLOADS = {
    engagement_note(form) {
      const data = new FormData(form);
      return {
        person_id: form.dataset.personId,
        level: Number(chosen(form, "level")),
        occurred_at: writtenAt(chosen(form, "occurred_at")),
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
        observed_at: writtenAt(chosen(form, "observed_at")),
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

    interaction_snapshot(form) {
      const data = new FormData(form);
      const count = (name) => Number(data.get(name) || 0);
      return {
        site_id: form.dataset.siteId,
        theme_id: chosen(form, "theme_id"),
        started_at: chosen(form, "started_at"),
        minutes: count("minutes"),
        location: (data.get("location") || "").toString(),
        positive_social: count("positive_social"),
        positive_care: count("positive_care"),
        neutral: count("neutral"),
        protective_restrictive: count("protective_restrictive"),
        restrictive: count("restrictive"),
      };
    },
  };

  // --- changing a record that needed attention ----------------------------------------------

  // The records that can be opened again in their form; handover answers and
  // acknowledgements can only be tried again or discarded.
  const CHANGEABLE = new Set(["engagement_note", "observation"]);
  const FIXING = "shift-fixing";

  // Form names for a payload: {ratings: {a: 1}} -> "ratings.a"; {actions: [{x: 1}]} -> "actions.0.x".
  function fieldValues(value, prefix = "", into = {}) {
    const isObject = (item) => item !== null && typeof item === "object";
    if (isObject(value) && !(Array.isArray(value) && !value.some(isObject))) {
      for (const [key, inner] of Object.entries(value)) fieldValues(inner, prefix + key + (isObject(inner) ? "." : ""), into);
    } else {
      into[prefix] = value;
    }
    return into;
  }

  function inputTime(iso) {
    const moment = new Date(iso);
    const pad = (number) => String(number).padStart(2, "0");
    return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}` +
      `T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
  }

  // A choice that is no longer offered (someone moved site) is left for the person to make again.
  function offered(select, value) {
    return [...select.options].some((option) => option.value === String(value ?? ""));
  }

  function setField(form, name, value) {
    const found = form.elements.namedItem(name);
    if (!found) return;
    const controls = found instanceof RadioNodeList ? [...found] : [found];
    const wanted = (Array.isArray(value) ? value : [value ?? "none"]).map(String);
    for (const control of controls) {
      if (control.type === "radio" || control.type === "checkbox") control.checked = wanted.includes(control.value);
      else if (control.type === "datetime-local") control.value = value ? inputTime(value) : "";
      else if (control instanceof HTMLSelectElement) control.value = offered(control, value) ? String(value) : "";
      else control.value = value ?? "";
    }
  }

  // Put a saved payload back into its form, and open the folds that hold what was refused.
  function fillForm(form, item) {
    for (const [name, value] of Object.entries(fieldValues(item.payload))) setField(form, name, value);
    for (const error of item.errors || []) {
      const control = form.elements.namedItem(error.field);
      const field = control instanceof RadioNodeList ? control[0] : control;
      const fold = field?.closest("details");
      if (fold) fold.open = true;
    }
  }

  // Once sent, a record is changed on the server: a note is amended, with a reason.
  const AMEND_URLS = { engagement_note: (id) => `/notes/${id}/amend` };
  const JUST_SAVED = "shift-just-saved";

  function changeSentUrl(record) {
    const amend = record && AMEND_URLS[record.type];
    return amend ? amend(record.id) : "";
  }

  function setSaving(form, saving) {
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) button.disabled = saving;
  }

  // --- fields needed only when another answer is given ----------------------------------------

  // <div data-required-when="restrictive_practice" data-required-message="...">: the fields in
  // it are required while that question has an answer other than "none".
  function requireWhenChosen(form) {
    for (const group of form.querySelectorAll("[data-required-when]")) {
      const needed = chosen(form, group.dataset.requiredWhen) !== null;
      for (const control of group.querySelectorAll("input, textarea, select")) control.required = needed;
    }
  }

  function firstMissing(form) {
    return [...form.querySelectorAll("[data-required-when] [required]")].find((control) => !control.value.trim());
  }

  // The message beside the field, as the server would put it, and the field focused.
  function showMissing(control) {
    const field = control.closest(".field");
    const errorId = `${control.id}-error`;
    let error = document.getElementById(errorId);
    if (!error) {
      error = document.createElement("p");
      error.className = "field__error";
      error.id = errorId;
      control.before(error);
    }
    const prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = "Error:";
    error.replaceChildren(prefix, ` ${control.closest("[data-required-message]").dataset.requiredMessage}`);
    field?.classList.add("field--error");
    control.setAttribute("aria-invalid", "true");
    const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes(errorId)) control.setAttribute("aria-describedby", [...described, errorId].join(" "));
    const fold = control.closest("details");
    if (fold) fold.open = true;
    control.focus();
  }

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

    // A capture form writes to the outbox first, says so at once, then sends. Opened from
    // "Change it" (on the outbox page, or just after saving), it shows the record to change.
    // The record's id is made when the form opens and Save works once, so a double tap on
    // Save is one record.
    Alpine.data("outboxForm", () => ({
      fixing: null,
      saving: false,
      recordId: "",
      async init() {
        this.opened();
        window.addEventListener("pageshow", (event) => event.persisted && this.opened());
        this.$el.addEventListener("change", () => requireWhenChosen(this.$el));
        requireWhenChosen(this.$el);
        const id = sessionStorage.getItem(FIXING);
        if (!id) return;
        const item = await outbox.get(id);
        if (!item || item.page !== here() || item.type !== this.$el.dataset.outboxType) return;
        sessionStorage.removeItem(FIXING);
        fillForm(this.$el, item);
        requireWhenChosen(this.$el);
        this.fixing = item;
      },
      // A form opened, or shown again from the browser's history: a new record.
      opened() {
        this.recordId = crypto.randomUUID();
        const field = this.$el.elements.namedItem("id");
        if (field) field.value = this.recordId; // the same id if the server is asked instead
        setSaving(this.$el, false);
        this.saving = false;
      },
      get fixNotice() {
        if (!this.fixing) return "";
        if (this.fixing.status === "waiting") return "Not sent yet: change it and save, and the changed one is sent.";
        const reasons = (this.fixing.errors || []).map((error) => error.reason);
        return ["Not accepted:", this.fixing.reason, ...reasons, "Change it and save to send it again."].join(" ");
      },
      async save(event) {
        const form = event.target;
        if (this.saving) return;
        const missing = firstMissing(form);
        if (missing) {
          showMissing(missing);
          return;
        }
        this.saving = true;
        setSaving(form, true);
        const build = PAYLOADS[form.dataset.outboxType];
        const required = form.dataset.requires;
        const onlyOffline = !this.fixing && form.dataset.outboxWhen === "offline" && navigator.onLine;
        if (!build || onlyOffline || (required && !chosen(form, required))) {
          form.submit(); // with signal, or when something is missing: the server answers
          return;
        }
        const item = {
          id: this.recordId,
          type: form.dataset.outboxType,
          payload: build(form),
          userId: userId(),
          label: form.dataset.outboxLabel || "",
          page: here(),
        };
        const kept = await this.keep(item);
        if (!kept) {
          window.location.href = changeSentUrl(this.fixing) || form.dataset.doneUrl || "/home";
          return;
        }
        sessionStorage.setItem(JUST_SAVED, JSON.stringify({ id: kept.id, type: kept.type, label: kept.label }));
        announce();
        requestBackgroundSync();
        const done = form.dataset.doneUrl || "/home";
        if (done === window.location.pathname) window.location.reload();
        else window.location.href = done;
      },
      // A record not yet sent keeps its id when changed; one the server refused goes again
      // under a new id. Answers the record kept, or null if it was sent while being changed.
      async keep(item) {
        if (!this.fixing) {
          await outbox.add(item);
          return item;
        }
        if (this.fixing.status === "waiting") {
          const changed = { ...item, id: this.fixing.id };
          return (await outbox.change(this.fixing.id, changed)) ? changed : null;
        }
        await outbox.replace(this.fixing.id, item);
        return item;
      },
    }));

    // "Saved on this phone" (then "Sent") on the page a form returns to, with "Change it":
    // while the record waits on the phone it opens again in its form; once sent, a note is
    // amended with a reason.
    Alpine.data("justSaved", () => ({
      label: "",
      sent: false,
      id: "",
      type: "",
      page: "",
      init() {
        const saved = JSON.parse(sessionStorage.getItem(JUST_SAVED) || "null");
        if (!saved) return;
        sessionStorage.removeItem(JUST_SAVED);
        Object.assign(this, { id: saved.id, type: saved.type, label: saved.label });
        this.check();
        document.addEventListener("outbox-changed", () => this.check());
      },
      async check() {
        const item = await outbox.get(this.id);
        this.sent = !item;
        this.page = item && CHANGEABLE.has(item.type) ? item.page : "";
      },
      get shown() {
        return this.label !== "";
      },
      get message() {
        return this.sent ? `Sent: ${this.label}` : `Saved on this phone: ${this.label}`;
      },
      get changeUrl() {
        return this.sent ? changeSentUrl(this) : this.page;
      },
      change() {
        if (!this.sent) sessionStorage.setItem(FIXING, this.id);
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
      changeable(item) {
        return Boolean(item.page) && CHANGEABLE.has(item.type);
      },
      change(event) {
        const item = this.items.find((entry) => entry.id === event.target.dataset.id);
        sessionStorage.setItem(FIXING, item.id);
        window.location.href = item.page;
      },
      async discard(event) {
        const { id, label } = event.target.dataset;
        if (window.confirm(`Discard "${label}"? It has not reached the server and will be lost.`)) {
          await outbox.remove(id);
          announce();
        }
      },
    }));

    // Signing out on a shared phone, with or without signal: send what waits first; keep what
    // cannot be sent for this person, after asking; forget this person's pages at once; and end
    // the session on the server now, or as soon as there is signal (see outbox.js).
    Alpine.data("signOut", () => ({
      leaving: false,
      async leave(event) {
        const form = event.target;
        if (this.leaving) return;
        this.leaving = true;
        setSaving(form, true);
        await outbox.flush(userId()).catch(() => undefined);
        const { waiting, attention } = await outbox.counts(userId());
        const left = waiting + attention;
        if (left && !window.confirm(
          `${left} record${left === 1 ? " is" : "s are"} not sent yet. ` +
          "They stay on this phone, kept for you, and are sent when you next sign in here. Sign out anyway?",
        )) {
          this.leaving = false;
          setSaving(form, false);
          return;
        }
        await session.endLater();
        sessionStorage.clear();
        navigator.serviceWorker?.controller?.postMessage({ type: "forget-pages" });
        if ("caches" in window) await caches.delete("pages");
        const ended = (await session.endIfAsked()) === "ended";
        if (!ended && !navigator.serviceWorker?.controller) {
          form.submit(); // no worker to answer without signal: the server ends it when reached
          return;
        }
        if (!ended) requestBackgroundSync("sign-out");
        window.location.href = LOGIN_URL; // with no signal, the worker shows the sign-in page
      },
    }));

    // Signing in ends first a session that was signed out with no signal, so that one can
    // never end the new one.
    Alpine.data("signIn", () => ({
      async enter(event) {
        await session.endIfAsked();
        event.target.submit();
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

  // After the page has loaded, so installing the shell never competes with the first paint.
  window.addEventListener("load", async () => {
    registerServiceWorker();
    if (await signedOutHere()) return;
    startSync();
    if ("serviceWorker" in navigator) keepPagesForOffline();
  });
})();
