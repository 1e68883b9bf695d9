// /schema/swagger: Swagger UI (vendored swagger-ui-dist), started from a file so the page has no inline
// script. "Try it out" sends the CSRF header the API expects on POST/PUT/PATCH/DELETE; no validator badge
// (it would call validator.swagger.io).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) {
    return;
  }
  var cookieName = root.getAttribute("data-csrf-cookie");
  var headerName = root.getAttribute("data-csrf-header");

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) {
        return decodeURIComponent(parts[i].slice(eq + 1));
      }
    }
    return undefined;
  }

  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
    requestInterceptor: function (request) {
      var token = cookieName ? cookie(cookieName) : undefined;
      if (token !== undefined && headerName) {
        request.headers[headerName] = token;
      }
      return request;
    },
  });
})();
