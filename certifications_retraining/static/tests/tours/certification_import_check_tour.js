import { registry } from "@web/core/registry";
import { selectOption } from "./compat";

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
        ...selectOption(".modal .o_field_widget[name='separator']", "Semicolon (;)", "Pick the semicolon separator"),
        {
            content: "The template link follows the separator",
            trigger: ".modal .o_certification_import_template a[href*='separator=%3B']:contains('Download template')",
        },
        ...selectOption(".modal .o_field_widget[name='separator']", "Comma (,)", "Back to commas for our file"),
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
