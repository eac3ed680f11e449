"""``report``: MLflow runs -> table -> report.md, report.html, figures and the README block."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.report import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Read every study's latest finished run, then write the report and the README block."""
    p = "params:report"
    return Pipeline(
        [
            Node(nodes.collect_report_table, p, "report_table", name="collect"),
            Node(nodes.fetch_report_figures, ["report_table", p], "report_figures", name="figures"),
            Node(nodes.write_markdown_report, ["report_table", p], "report_markdown", name="md"),
            Node(
                nodes.write_html_report,
                ["report_markdown", "report_figures"],
                "report_html",
                name="html",
            ),
            Node(
                nodes.write_readme_results,
                ["report_table", p, "readme_results_previous"],
                "readme_results",
                name="readme",
            ),
        ],
        namespace="report",
        prefix_datasets_with_namespace=False,
    )
