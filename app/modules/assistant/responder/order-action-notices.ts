import type { OrderActionNotice } from "~/modules/commerce";
import { formatMoney } from "./format";
import { hasPhrases, type PhraseLanguage, phrase } from "./phrases";

/**
 * What the shopper reads in their conversation once the store's platform decided on an action the assistant
 * (or staff) requested: a confirmation, or that a person takes over. Only facts from the action itself.
 */
export function orderActionNoticeText(notice: OrderActionNotice, language: string): string {
  const lang: PhraseLanguage = hasPhrases(language) ? language : "en";
  const values = {
    order: notice.orderName,
    amount: notice.amount ? formatMoney(notice.amount, notice.currency, lang) : "",
    items: (notice.items ?? []).map((item) => `${item.quantity} × ${item.title}`).join(", "),
    address: notice.address ?? "",
    tracking: notice.trackingNumber ?? "",
  };
  if (notice.outcome === "refused") return phrase(lang, "actionRefused", values);
  switch (notice.kind) {
    case "cancel":
      return phrase(lang, "cancelConfirmed", values);
    case "update_address":
      return phrase(lang, "addressConfirmed", values);
    case "return":
      return phrase(lang, notice.review ? "returnReviewReceived" : "returnConfirmed", values);
    case "refund":
      return phrase(lang, "refundConfirmed", values);
    case "resend_tracking":
      return phrase(lang, notice.emailed ? "trackingResent" : "trackingRepeated", values);
  }
}
