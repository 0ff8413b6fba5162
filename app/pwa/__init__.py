"""The installable, offline-first app: the manifest, the service worker and its app shell,
the offline page, and the page that lists what is waiting to be sent from this phone."""
