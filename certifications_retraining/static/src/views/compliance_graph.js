/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
// Compliance graph: each compliance state keeps its own colour (green compliant,
// amber expiring, orange grace, red expired, dark red missing) whatever the
// grouping, instead of the palette's order.
import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

export const COMPLIANCE_COLORS = {
    compliant: "#28a745",
    expiring: "#ffb300",
    grace: "#fb8c00",
    expired: "#dc3545",
    missing: "#8b1a1a",
};

export class ComplianceGraphRenderer extends GraphRenderer {
    /** Colour of a state label (the selection's translated label), if any. */
    complianceColor(label) {
        const field = this.model.metaData.fields.compliance_state;
        const option = (field?.selection || []).find(([, name]) => name === label);
        return option && COMPLIANCE_COLORS[option[0]];
    }

    stateGroupIndex() {
        return this.model.metaData.groupBy.findIndex(
            (groupBy) => groupBy.fieldName === "compliance_state"
        );
    }

    getBarChartData() {
        const data = super.getBarChartData();
        const index = this.stateGroupIndex();
        for (const dataset of data.datasets) {
            if (index === 1) {
                const color = this.complianceColor(dataset.label);
                if (color) {
                    dataset.backgroundColor = color;
                }
            } else if (index === 0 && dataset.trueLabels) {
                dataset.backgroundColor = dataset.trueLabels.map(
                    (label) => this.complianceColor(label) || dataset.backgroundColor
                );
            }
        }
        return data;
    }

    getPieChartData() {
        const data = super.getPieChartData();
        if (this.stateGroupIndex() === 0) {
            const colors = data.labels.map(
                (label, index) =>
                    this.complianceColor(label) || data.datasets[0]?.backgroundColor[index]
            );
            for (const dataset of data.datasets) {
                dataset.backgroundColor = colors;
                dataset.hoverBackgroundColor = colors;
            }
        }
        return data;
    }
}

registry.category("views").add("certification_compliance_graph", {
    ...graphView,
    Renderer: ComplianceGraphRenderer,
});
