import { registry } from "@web/core/registry";
import { formatDate } from "@web/views/fields/formatters";
import { deserializeDate } from "@web/core/l10n/dates";

// A date as the date fields show it (the user's date format on 18.0, the
// locale's short month on 19.0).
const shown = (iso) => formatDate(deserializeDate(iso));

// A fixed 31 December expiry of a Brussels learner shows
// 31 December to an officer whose browser is in New York.
registry.category("web_tour.tours").add("certifications_retraining_learner_dates", {
    url: "/odoo/action-certifications_retraining.certification_award_action",
    steps: () => [
        {
            content: "The browser runs in New York",
            trigger: ".o_list_view",
            run() {
                const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
                if (zone !== "America/New_York") {
                    throw new Error(`The browser is in ${zone}, not in New York`);
                }
            },
        },
        {
            content: "The list shows the learner's issue date",
            trigger:
                `.o_data_row:contains('Year End Safety') td[name='learner_date_issued']:contains('${shown("2025-03-01")}')`,
        },
        {
            content: "The list shows the learner's expiry: 31 December, not 30",
            trigger:
                `.o_data_row:contains('Year End Safety') td[name='learner_date_expiry']:contains('${shown("2025-12-31")}')`,
        },
        {
            content: "Open the award",
            trigger: ".o_data_row:contains('Year End Safety') td[name='program_id']",
            run: "click",
        },
        {
            content: "The form shows 31 December too",
            trigger: `.o_form_view .o_field_widget[name='learner_date_expiry']:contains('${shown("2025-12-31")}')`,
        },
        {
            content: "And the learner's issue date",
            trigger: `.o_form_view .o_field_widget[name='learner_date_issued']:contains('${shown("2025-03-01")}')`,
        },
    ],
});

// README screenshots: each tour ends on the page to capture, fully rendered.
registry.category("web_tour.tours").add("certifications_retraining_screenshot_awards", {
    url: "/odoo/action-certifications_retraining.certification_award_action",
    steps: () => [
        {
            content: "The awarded users are listed",
            trigger: ".o_list_view .o_data_row:contains('Lindqvist')",
        },
    ],
});

registry.category("web_tour.tours").add("certifications_retraining_screenshot_compliance", {
    url: "/odoo/action-certifications_retraining.certification_compliance_report_action",
    steps: () => [
        {
            content: "The compliance pivot is rendered",
            trigger: ".o_pivot table .o_pivot_cell_value",
        },
    ],
});

registry.category("web_tour.tours").add("certifications_retraining_screenshot_portal", {
    url: "/my/certifications",
    steps: () => [
        {
            content: "The learner's certifications are listed",
            trigger: ".o_certification_row",
        },
    ],
});
