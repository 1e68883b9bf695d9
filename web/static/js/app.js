// Site-wide behaviour without inline script (the Content-Security-Policy allows scripts from /static only):
// - <form data-confirm="question">: ask before submitting (mass or destructive actions);
// - <select data-autosubmit>: submit its form on change (filters).
document.addEventListener(
  "submit",
  (ev) => {
    const form = ev.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  },
  true,
);
document.addEventListener("change", (ev) => {
  const el = ev.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
});
