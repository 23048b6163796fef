/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
// Compliance and certification analysis graphs: each state keeps its own colour
// (green compliant/valid, amber expiring, orange grace, red expired, dark red
// missing, grey archived) whatever the grouping, instead of the palette's order.
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

export const AWARD_STATE_COLORS = {
    valid: COMPLIANCE_COLORS.compliant,
    grace: COMPLIANCE_COLORS.grace,
    expired: COMPLIANCE_COLORS.expired,
    archived: "#adb5bd",
};

export class ComplianceGraphRenderer extends GraphRenderer {
    static stateField = "compliance_state";
    static stateColors = COMPLIANCE_COLORS;

    /** Colour of a state label (the selection's translated label), if any. */
    complianceColor(label) {
        const { stateField, stateColors } = this.constructor;
        const field = this.model.metaData.fields[stateField];
        const option = (field?.selection || []).find(([, name]) => name === label);
        return option && stateColors[option[0]];
    }

    stateGroupIndex() {
        return this.model.metaData.groupBy.findIndex(
            (groupBy) => groupBy.fieldName === this.constructor.stateField
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

/** Certification Analysis: the award's own state (valid green, expired red). */
export class AwardGraphRenderer extends ComplianceGraphRenderer {
    static stateField = "state";
    static stateColors = AWARD_STATE_COLORS;
}

registry.category("views").add("certification_award_graph", {
    ...graphView,
    Renderer: AwardGraphRenderer,
});
