// Starts the vendored Swagger UI on /api/docs without inline script (the CSP forbids it).
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.openapiUrl, domNode: root });
});
