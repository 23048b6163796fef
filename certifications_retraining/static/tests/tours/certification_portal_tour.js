import { registry } from "@web/core/registry";
import { unload } from "./compat";

registry.category("web_tour.tours").add("certifications_retraining_portal_renew", {
    url: "/my",
    steps: () => [
        {
            content: "The Certifications entry of the portal home",
            trigger: ".o_portal_index_card a[href='/my/certifications']",
            run: "click",
            ...unload,
        },
        {
            content: "The certification is listed",
            trigger: ".o_certification_row:contains('Portal Certification') .o_certification_status",
        },
        {
            content: "Open it",
            trigger: ".o_certification_link:contains('Portal Certification')",
            run: "click",
            ...unload,
        },
        {
            content: "The certificate can be downloaded",
            trigger: "a.o_certification_download",
        },
        {
            content: "No earlier award yet",
            trigger: ".o_certification_no_history",
        },
        {
            content: "Renew now through the course (a retake)",
            trigger: ".o_certification_item:contains('Portal Course') button.o_certification_renew",
            run: "click",
            ...unload,
        },
        {
            content: "Landed on the course page, which names the certification",
            trigger: ".o_wslides_course_certification:contains('Portal Certification')",
        },
        {
            content: "Progress was reset: mark the first lesson as done",
            trigger: ".o_wslides_slides_list_slide:contains('lesson 1') .o_wslides_sidebar_done_button button:has(i[title='Mark as done'])",
            run: "click",
        },
        {
            content: "First lesson done",
            trigger: ".o_wslides_slides_list_slide:contains('lesson 1') .o_wslides_slide_completed",
        },
        {
            content: "Mark the second lesson as done",
            trigger: ".o_wslides_slides_list_slide:contains('lesson 2') .o_wslides_sidebar_done_button button:has(i[title='Mark as done'])",
            run: "click",
        },
        {
            content: "Second lesson done",
            trigger: ".o_wslides_slides_list_slide:contains('lesson 2') .o_wslides_slide_completed",
        },
        {
            content: "Back to my certifications",
            trigger: "body",
            run: "goToUrl /my/certifications",
            ...unload,
        },
        {
            content: "Open the renewed certification",
            trigger: ".o_certification_link:contains('Portal Certification')",
            run: "click",
            ...unload,
        },
        {
            content: "The previous award is in the history",
            trigger: ".o_certification_history .o_certification_history_row",
        },
        {
            content: "The certificate download link is there",
            trigger: "a.o_certification_download[href*='report_type=pdf']",
        },
    ],
});

// Started by the test on /certifications/verify/<token>, without login.
registry.category("web_tour.tours").add("certifications_retraining_verify", {
    steps: () => [
        {
            content: "The certificate is valid",
            trigger: ".o_certification_verify_status:contains('VALID')",
        },
        {
            content: "It names the holder and the certification",
            trigger: ".o_certification_verify_holder:contains('Paula Portal')",
        },
        {
            content: "Only the certificate details are shown",
            trigger: ".o_certification_verify_program:contains('Portal Certification')",
        },
    ],
});
