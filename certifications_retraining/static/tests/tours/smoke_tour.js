import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("certifications_retraining_smoke", {
    url: "/odoo",
    steps: () => [
        {
            content: "The web client renders the home menu",
            trigger: ".o_home_menu .o_app",
        },
    ],
});
