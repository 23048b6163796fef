/**
 * Odoo 18.0 / 19.0 differences met by the tours, in one place (the Python
 * side is certifications_retraining/compat.py). The series comes from the
 * session (`server_version_info`, sent to logged-in pages on both series).
 */
import { session } from "@web/session";

export const IS_19 = (session.server_version_info?.[0] ?? 0) >= 19;

/**
 * Spread into a step whose action loads a new page: 19.0's tour runner must
 * be told ({ expectUnloadPage: true }), 18.0's refuses the unknown key.
 */
export const unload = IS_19 ? { expectUnloadPage: true } : {};

/**
 * The steps that choose the option `label` of the selection field in
 * `field` (a selector of its cell or widget): a <select> on 18.0, a
 * SelectMenu dropdown on 19.0.
 */
export function selectOption(field, label, content) {
    if (!IS_19) {
        return [
            {
                content,
                trigger: `${field} select`,
                run() {
                    const options = [...this.anchor.options];
                    const option =
                        options.find((opt) => opt.textContent.trim() === label) ||
                        options.find((opt) => opt.textContent.includes(label));
                    this.anchor.value = option.value;
                    this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
                },
            },
        ];
    }
    return [
        { content, trigger: `${field} .o_select_menu_toggler`, run: "click" },
        {
            content: `${content}: ${label}`,
            trigger: `.o_select_menu_menu .o_select_menu_item:contains('${label}')`,
            run: "click",
        },
    ];
}
