import { ApiError } from "../api";
import { h, show } from "../dom";
import { alertFor, alertText, type ChatState } from "../state";
import type { Strings } from "../strings";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface VerifyFormActions {
  /** True once verified; false when another request was running; throws the API's error. */
  verify(orderNumber: string, email: string): Promise<boolean>;
  verified(): void;
  cancel(): void;
}

/** Order number + checkout e-mail: checked here first, then by the server, with errors next to their field. */
export function createVerifyForm(s: Strings, id: (name: string) => string, actions: VerifyFormActions) {
  const orderInput = h("input", {
    id: id("order"),
    class: "field__input",
    name: "orderNumber",
    type: "text",
    autocomplete: "off",
    inputmode: "text",
    maxlength: 40,
    "aria-describedby": `${id("order-hint")} ${id("order-error")}`,
  });
  const emailInput = h("input", {
    id: id("email"),
    class: "field__input",
    name: "email",
    type: "email",
    autocomplete: "email",
    maxlength: 254,
    "aria-describedby": id("email-error"),
  });
  const orderError = h("p", { id: id("order-error"), class: "field__error" });
  const emailError = h("p", { id: id("email-error"), class: "field__error" });
  const alert = h("p", { class: "form-alert", role: "alert" });
  const submitButton = h("button", { type: "submit", class: "primary" }, s.verify_submit);
  const el = h(
    "form",
    { class: "card-form", novalidate: true, "aria-labelledby": id("verify-title") },
    h("h3", { id: id("verify-title"), class: "form-title" }, s.verify_title),
    h("p", { class: "form-intro" }, s.verify_intro),
    h(
      "div",
      { class: "field" },
      h("label", { for: id("order"), class: "field__label" }, s.verify_order_number),
      h("p", { id: id("order-hint"), class: "field__hint" }, s.verify_order_hint),
      orderInput,
      orderError,
    ),
    h("div", { class: "field" }, h("label", { for: id("email"), class: "field__label" }, s.verify_email), emailInput, emailError),
    alert,
    h("div", { class: "actions" }, submitButton, h("button", { type: "button", class: "secondary", onClick: () => actions.cancel() }, s.cancel)),
  );

  const setFieldError = (input: HTMLInputElement, errorEl: HTMLElement, problem: string) => {
    errorEl.textContent = problem;
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };

  const submit = async () => {
    const orderNumber = orderInput.value.trim();
    const email = emailInput.value.trim();
    const orderProblem = !orderNumber || !/\d/.test(orderNumber) ? s.verify_order_required : "";
    const emailProblem = !EMAIL.test(email) ? s.verify_email_invalid : "";
    setFieldError(orderInput, orderError, orderProblem);
    setFieldError(emailInput, emailError, emailProblem);
    alert.textContent = "";
    if (orderProblem || emailProblem) {
      (orderProblem ? orderInput : emailInput).focus();
      return;
    }
    try {
      if (!(await actions.verify(orderNumber, email))) return;
      orderInput.value = "";
      emailInput.value = "";
      actions.verified();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && (error.field === "orderNumber" || error.field === "email")) {
        const orderField = error.field === "orderNumber";
        const input = orderField ? orderInput : emailInput;
        setFieldError(input, orderField ? orderError : emailError, orderField ? s.verify_order_required : s.verify_email_invalid);
        input.focus();
      } else if (error instanceof ApiError && error.status === 422) {
        alert.textContent = s.verify_failed;
      } else if (error instanceof ApiError && error.status === 429 && !error.retryAfter) {
        alert.textContent = s.verify_locked;
      } else {
        alert.textContent = alertText(alertFor(error, "send_failed"), s);
      }
    }
  };
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });

  return {
    el,
    update(state: ChatState) {
      show(el, state.view === "verify");
      if (state.busy) submitButton.setAttribute("aria-disabled", "true");
      else submitButton.removeAttribute("aria-disabled");
    },
    focus() {
      orderInput.focus();
    },
  };
}
