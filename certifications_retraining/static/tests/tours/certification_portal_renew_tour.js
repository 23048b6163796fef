import { registry } from "@web/core/registry";
import { unload } from "./compat";

registry.category("web_tour.tours").add("certifications_retraining_portal_renew_row", {
    url: "/my/certifications",
    steps: () => [
        {
            content: "Renew now in the certification's row",
            trigger: ".o_certification_row:contains('Tour Row Certification') .o_certification_renew_row",
            run: "click",
            ...unload,
        },
        {
            content: "The certification's page, at its renewal options: renew through the course",
            trigger: ".o_certification_item:contains('Tour Row Course') button.o_certification_renew",
            run: "click",
            ...unload,
        },
        {
            content: "The course page shows the renewal in progress",
            trigger: ".o_wslides_certification_renewal:contains('You are renewing Tour Row Certification')",
        },
        {
            content: "The banner does not overlap the course tabs",
            trigger: ".o_wslides_course_main .o_wslides_nav_tabs",
            run() {
                const tabs = this.anchor.getBoundingClientRect();
                const banner = document
                    .querySelector(".o_wslides_certification_renewal")
                    .getBoundingClientRect();
                const overlaps =
                    banner.top < tabs.bottom &&
                    tabs.top < banner.bottom &&
                    banner.left < tabs.right &&
                    tabs.left < banner.right;
                if (overlaps || banner.top < tabs.bottom) {
                    throw new Error(
                        `The renewal banner (top ${banner.top}) overlaps the tabs (bottom ${tabs.bottom})`
                    );
                }
            },
        },
        {
            content: "Let the course page finish loading its chatter before the tour ends",
            trigger: ".o_wslides_course_main",
            async run() {
                if (!document.querySelector(".o_portal_chatter")) {
                    return;
                }
                await odoo.portalChatterReady;
                for (let i = 0; i < 100; i++) {
                    const shadow = document.querySelector("#chatterRoot")?.shadowRoot;
                    if (shadow && shadow.querySelector("link") && shadow.children.length > 1) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
    ],
});
