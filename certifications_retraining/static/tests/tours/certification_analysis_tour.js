import { registry } from "@web/core/registry";

const VALID = "#28a745";
const EXPIRED = "#dc3545";

// Certification Analysis opens (it crashed on its pivot measure), and its
// graph paints each state in its own colour: valid green, expired red.
registry.category("web_tour.tours").add("certifications_retraining_analysis_graph", {
    url: "/odoo/action-certifications_retraining.certification_award_report_action",
    steps: () => [
        {
            content: "The pivot opens",
            trigger: ".o_pivot_view .o_pivot",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Valid awards are green, expired ones red",
            trigger: ".o_graph_renderer canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                const colours = Object.fromEntries(
                    chart.data.datasets.map((dataset) => [dataset.label, dataset.backgroundColor])
                );
                if (colours.Valid !== VALID || colours.Expired !== EXPIRED) {
                    throw new Error(`Unexpected state colours ${JSON.stringify(colours)}`);
                }
            },
        },
    ],
});
