import type { ConversationCase } from "../types";
import { DEMO_CASES } from "./demo-shop";
import { SECOND_SHOP_CASES } from "./second-shop";

/** Every conversation of the suite, in the order they run. */
export const ALL_CASES: ConversationCase[] = [...DEMO_CASES, ...SECOND_SHOP_CASES];
