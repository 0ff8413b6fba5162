// Notifications on this phone. The browser's permission prompt appears only when the person taps
// "Turn on notifications on this phone", never by itself. Once someone has turned them on here,
// every page load checks this phone's subscription and keeps the server's copy current (made
// again if the browser dropped it); once "This phone" is removed, the page that says so has the
// browser forget it too.
(function () {
  "use strict";

  const KEY_URL = "/api/v1/push/vapid-public-key";
  const SUBSCRIPTIONS_URL = "/api/v1/push/subscriptions";
  const TURNED_ON = "shift-push-users"; // localStorage: who turned notifications on at this phone
  const CHECKED = "shift-push-checked"; // sessionStorage: kept current since this tab opened
  const userId = () => document.body.dataset.userId || "";

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  function turnedOnHere() {
    return JSON.parse(localStorage.getItem(TURNED_ON) || "[]").includes(userId());
  }

  function rememberTurnedOn(on) {
    const others = JSON.parse(localStorage.getItem(TURNED_ON) || "[]").filter((id) => id !== userId());
    localStorage.setItem(TURNED_ON, JSON.stringify(on ? [...others, userId()] : others));
  }

  function keyBytes(base64url) {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(text, (character) => character.charCodeAt(0));
  }

  // A subscription made with another key (the service's key was replaced) cannot be sent to.
  function madeWith(subscription, key) {
    const used = subscription.options && subscription.options.applicationServerKey;
    if (!used) return true;
    const bytes = new Uint8Array(used);
    return bytes.length === key.length && bytes.every((byte, index) => byte === key[index]);
  }

  async function ask(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`);
    return response.status === 204 ? null : response.json();
  }

  // This phone's subscription, made (again) with the service's key, and told to the server.
  async function subscribeHere() {
    const registration = await navigator.serviceWorker.ready;
    const key = keyBytes((await ask("GET", KEY_URL)).public_key);
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !madeWith(subscription, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    await ask("POST", SUBSCRIPTIONS_URL, subscription.toJSON());
    rememberTurnedOn(true);
    sessionStorage.setItem(CHECKED, userId());
  }

  // Quietly, on every page load: only for someone who turned notifications on at this phone and
  // whose permission still stands. The server hears once per tab (a new sign-in clears the
  // tab's storage), and again on any load that finds the browser dropped the subscription.
  async function keepCurrent({ always = false } = {}) {
    if (!userId() || !supported() || Notification.permission !== "granted" || !turnedOnHere()) return false;
    if (!always && sessionStorage.getItem(CHECKED) === userId()) {
      const registration = await navigator.serviceWorker.ready;
      if (await registration.pushManager.getSubscription()) return true;
    }
    await subscribeHere();
    return true;
  }

  // After "This phone" was removed, so that the next page does not quietly subscribe it again.
  async function forgetHere() {
    rememberTurnedOn(false);
    const registration = supported() ? await navigator.serviceWorker.getRegistration() : null;
    const subscription = registration ? await registration.pushManager.getSubscription() : null;
    if (subscription) await subscription.unsubscribe().catch(() => undefined);
  }

  const MESSAGES = {
    on: "Notifications are on for this phone.",
    blocked:
      "Your browser blocked notifications for Shift Companion. To allow them, open this site's " +
      "settings in your browser (often the padlock or ⓘ beside the address), set Notifications " +
      "to Allow, then come back and tap the button again.",
    unsupported:
      "This browser cannot receive notifications. On an iPhone or iPad, add Shift Companion to " +
      "your Home Screen (Share, then Add to Home Screen) and open it from there.",
    failed: "We could not turn notifications on just now. Check your signal and try again.",
  };

  document.addEventListener("alpine:init", () => {
    const Alpine = window.Alpine;

    // <section x-data="pushDevice" data-on="yes|no" data-forget="yes|no">: the button, and what
    // happened when it was tapped (on: this sign-in's subscription is on the server's list;
    // forget: this phone was just removed from it).
    Alpine.data("pushDevice", () => ({
      state: "",
      working: false,
      async init() {
        if (this.$root.dataset.forget === "yes") await forgetHere();
        if (!supported()) {
          this.state = "unsupported";
          return;
        }
        if (Notification.permission === "denied") {
          this.state = "blocked";
          return;
        }
        if (this.$root.dataset.on === "yes") this.state = "on";
        const kept = await keepCurrent({ always: true }).catch(() => false);
        if (kept) this.state = "on";
      },
      async turnOn() {
        this.working = true;
        const permission = await Notification.requestPermission();
        if (permission !== "granted") {
          this.state = permission === "denied" ? "blocked" : "";
          this.working = false;
          return;
        }
        try {
          await subscribeHere();
        } catch (error) {
          this.state = "failed";
          this.working = false;
          return;
        }
        // The list, now with this phone, says notifications are on (and a "removed" notice goes).
        window.location.assign(window.location.pathname);
      },
      get message() {
        return MESSAGES[this.state] || "";
      },
      get offered() {
        return this.state !== "unsupported" && this.state !== "on";
      },
    }));
  });

  window.addEventListener("load", () => {
    if (!document.querySelector("[x-data=pushDevice]")) keepCurrent().catch(() => undefined);
  });
})();
