// The payment pages (ticketing/pay.html, ticketing/invoice_pay.html): Stripe's Payment Element, then Stripe sends the buyer back.
(() => {
  const f = document.getElementById("payment-form");
  if (!f) return;
  const stripe = Stripe(f.dataset.key);
  const elements = stripe.elements({clientSecret: f.dataset.secret});
  const payment = elements.create("payment");
  payment.mount("#payment-element");
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const {error} = await stripe.confirmPayment({elements, confirmParams: {return_url: f.dataset.return}});
    if (error) f.querySelector(".field-error").textContent = error.message || "";
  });
})();
