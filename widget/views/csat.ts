import { MAX_COMMENT_CHARS } from "../../app/modules/storefront/chat-contract";
import { h, show, vh } from "../dom";
import { alertFor, alertText, type ChatState } from "../state";
import type { Strings } from "../strings";

export interface CsatActions {
  /** True once rated; false when another request was running; throws the API's error. */
  rate(score: number, comment: string): Promise<boolean>;
  dismiss(): void;
  newChat(): void;
}

/** The rating form (1–5 and an optional comment) and the thanks that follows it. */
export function createCsat(s: Strings, id: (name: string) => string, actions: CsatActions) {
  const scores = h("div", { class: "scores", role: "radiogroup", "aria-labelledby": id("csat-title") });
  for (let score = 1; score <= 5; score++) {
    const label = s[`csat_score_${score}` as "csat_score_1"];
    scores.appendChild(
      h(
        "label",
        { class: "score", title: label },
        h("input", { type: "radio", name: "score", value: score, class: "score__input" }),
        h("span", { class: "score__num", "aria-hidden": "true" }, String(score)),
        vh(`${score} – ${label}`),
      ),
    );
  }
  const comment = h("textarea", { id: id("comment"), class: "field__input", name: "comment", rows: 2, maxlength: MAX_COMMENT_CHARS });
  const alert = h("p", { class: "form-alert", role: "alert" });
  const submitButton = h("button", { type: "submit", class: "primary" }, s.csat_submit);
  const form = h(
    "form",
    { class: "card-form", novalidate: true, "aria-labelledby": id("csat-title") },
    h("h3", { id: id("csat-title"), class: "form-title" }, s.csat_title),
    scores,
    h("div", { class: "scale", "aria-hidden": "true" }, h("span", null, s.csat_score_1), h("span", null, s.csat_score_5)),
    h("div", { class: "field" }, h("label", { for: id("comment"), class: "field__label" }, s.csat_comment), comment),
    alert,
    h(
      "div",
      { class: "actions" },
      submitButton,
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onClick: () => {
            alert.textContent = "";
            actions.dismiss();
          },
        },
        s.csat_skip,
      ),
    ),
  );
  const firstScore = () => form.querySelector<HTMLInputElement>("input[name=score]");

  const submit = async () => {
    const checked = form.querySelector<HTMLInputElement>("input[name=score]:checked");
    const score = checked ? Number(checked.value) : 0;
    if (!score) {
      alert.textContent = s.csat_required;
      firstScore()?.focus();
      return;
    }
    alert.textContent = "";
    try {
      if (!(await actions.rate(score, comment.value))) return;
      comment.value = "";
      if (checked) checked.checked = false;
    } catch (error) {
      alert.textContent = alertText(alertFor(error, "send_failed"), s);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });

  const thanksText = h("p", { class: "thanks__text", tabindex: "-1" }, s.csat_thanks);
  const thanks = h("div", { class: "thanks" }, thanksText, h("button", { type: "button", class: "primary", onClick: () => actions.newChat() }, s.new_chat));

  return {
    form,
    thanks,
    update(state: ChatState) {
      show(form, state.view === "csat");
      show(thanks, state.view === "thanks");
      if (state.busy) submitButton.setAttribute("aria-disabled", "true");
      else submitButton.removeAttribute("aria-disabled");
    },
    focus(view: ChatState["view"]) {
      if (view === "csat") firstScore()?.focus();
      else thanksText.focus();
    },
  };
}
