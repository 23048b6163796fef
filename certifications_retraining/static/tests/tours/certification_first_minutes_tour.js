import { registry } from "@web/core/registry";

// CSV import: template -> dry run -> corrected re-upload -> import.
const HEADER =
    "username,certification_code,certification_issue_date,always_valid,certification_expire_date,type,code";
const BAD_CSV = [
    HEADER,
    "tour_check_learner,TOURCHK,2024-01-15,1,,manual,",
    "nobody_here,TOURCHK,2024-01-15,0,,manual,",
].join("\n");
const FIXED_CSV = [
    HEADER,
    "tour_check_learner,TOURCHK,2024-01-15,1,,manual,",
    "tour_check_other,TOURCHK,2024-01-15,0,2030-01-15,manual,",
].join("\n");

function pickOption(select, label) {
    const option = [...select.options].find((opt) => opt.textContent.trim() === label);
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
}

function uploadSteps(csv, filename) {
    return [
        {
            content: `Upload ${filename}`,
            trigger: ".modal .o_field_widget[name='file']",
            run() {
                const input = this.anchor.querySelector("input.o_input_file");
                const transfer = new DataTransfer();
                transfer.items.add(new File([csv], filename, { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is uploaded",
            trigger: `.modal .o_field_widget[name='file'] input.o_input:value('${filename}')`,
        },
        {
            content: "Go to the mapping",
            trigger: ".modal button[name='action_next']",
            run: "click",
        },
        {
            content: "The preview reads the file (not its size)",
            trigger: ".modal .o_certification_import_preview td:contains('tour_check_learner')",
        },
    ];
}

registry.category("web_tour.tours").add("certifications_retraining_import_check", {
    url: "/odoo/action-certifications_retraining.certification_award_action",
    steps: () => [
        {
            content: "Open the import from the Awarded users page",
            trigger: "button.o_certification_import_csv",
            run: "click",
        },
        {
            content: "Pick the semicolon separator",
            trigger: ".modal .o_field_widget[name='separator'] select",
            run() {
                pickOption(this.anchor, "Semicolon (;)");
            },
        },
        {
            content: "The template link follows the separator",
            trigger: ".modal .o_certification_import_template a[href*='separator=%3B']:contains('Download template')",
        },
        {
            content: "Back to commas for our file",
            trigger: ".modal .o_field_widget[name='separator'] select",
            run() {
                pickOption(this.anchor, "Comma (,)");
            },
        },
        {
            content: "The template link is back to commas",
            trigger: ".modal .o_certification_import_template a[href*='separator=%2C']",
        },
        ...uploadSteps(BAD_CSV, "tour_check.csv"),
        {
            content: "Check the file (dry run)",
            trigger: ".modal button[name='action_check']",
            run: "click",
        },
        {
            content: "The counts the import would produce",
            trigger: ".modal .o_certification_import_check_counts:contains('Created: 1'):contains('failed: 1')",
        },
        {
            content: "The error, with its line and all its reasons",
            trigger: ".modal .o_certification_import_check_errors li:contains('Line 3'):contains('Unknown user nobody_here'):contains('certification_expire_date is mandatory')",
        },
        {
            content: "Back to the upload step to send the corrected file",
            trigger: ".modal button[name='action_back']",
            run: "click",
        },
        ...uploadSteps(FIXED_CSV, "tour_check_fixed.csv"),
        {
            content: "Check the corrected file",
            trigger: ".modal button[name='action_check']",
            run: "click",
        },
        {
            content: "No error left",
            trigger: ".modal .o_certification_import_check_counts:contains('Created: 2'):contains('failed: 0')",
        },
        {
            content: "Import",
            trigger: ".modal button[name='action_import']",
            run: "click",
        },
        {
            content: "The job form opens, at a URL of the Jobs action (a reload keeps it)",
            trigger: ".o_form_view .o_last_breadcrumb_item:contains('Import tour_check_fixed.csv')",
            run() {
                const path = window.location.pathname;
                if (!path.includes("/certification-jobs/")) {
                    throw new Error(`Unexpected URL ${path}`);
                }
                // the wizard's id must not stay in the URL as an active id:
                // a reload would read it back as an award (bogus breadcrumb)
                if (/\/\d+\/certification-jobs\//.test(path)) {
                    throw new Error(`The wizard's id is in the URL ${path}`);
                }
            },
        },
    ],
});

// Awarded users of one certification, at 1,440 px.
registry.category("web_tour.tours").add("certifications_retraining_awarded_users", {
    url: "/odoo/action-certifications_retraining.certification_program_action",
    steps: () => [
        {
            content: "The card words validity and counts per number",
            trigger: ".o_kanban_record:contains('Tour Awarded Certification'):contains('Valid for 1 year'):contains('1 learner awarded'):contains('2 items')",
        },
        {
            content: "Open the certification",
            trigger: ".o_kanban_record:contains('Tour Awarded Certification')",
            run: "click",
        },
        {
            content: "The form opens its learning plans too",
            trigger: ".o_form_view button[name='action_view_learning_plans']:contains('1')",
        },
        {
            content: "Open its awarded users",
            trigger: ".o_form_view button[name='action_view_awards']",
            run: "click",
        },
        {
            content: "An expired award says how long ago",
            trigger: ".o_list_view td[name='days_left_label']:contains('Expired 10 days ago')",
        },
        {
            content: "Dates are shown as dates",
            trigger: ".o_list_view td[name='learner_date_issued']:not(:contains(':'))",
        },
        {
            content: "The page title is not squeezed by the header buttons",
            trigger: ".o_control_panel .o_last_breadcrumb_item span",
            run() {
                if (this.anchor.scrollWidth > this.anchor.clientWidth + 1) {
                    throw new Error("The page title is cut off");
                }
            },
        },
        {
            content: "Short header buttons: Award, Import CSV",
            trigger: ".o_control_panel button.o_certification_award_users:contains('Award'):not(:contains('Users'))",
        },
        {
            content: "... Import CSV",
            trigger: ".o_control_panel button.o_certification_import_csv:contains('Import CSV')",
        },
        {
            content: "The breadcrumb is not cut either",
            trigger: ".o_control_panel .o_breadcrumb",
            run() {
                for (const item of this.anchor.querySelectorAll(".breadcrumb-item, .o_last_breadcrumb_item span")) {
                    if (item.scrollWidth > item.clientWidth + 1) {
                        throw new Error(`The breadcrumb item "${item.textContent}" is cut off`);
                    }
                }
            },
        },
        {
            content: "Award",
            trigger: ".o_control_panel button.o_certification_award_users",
            run: "click",
        },
        {
            content: "The certification is preselected",
            trigger: ".modal .o_field_widget[name='program_id']:contains('Tour Awarded Certification'), .modal .o_field_widget[name='program_id'] input:value('Tour Awarded Certification')",
        },
    ],
});

// Learner: Renew now from the list row, then the course page says so.
registry.category("web_tour.tours").add("certifications_retraining_portal_renew_row", {
    url: "/my/certifications",
    steps: () => [
        {
            content: "Renew now in the certification's row",
            trigger: ".o_certification_row:contains('Tour Row Certification') .o_certification_renew_row",
            run: "click",
        },
        {
            content: "The certification's page, at its renewal options: renew through the course",
            trigger: ".o_certification_item:contains('Tour Row Course') button.o_certification_renew",
            run: "click",
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
