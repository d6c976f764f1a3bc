"""CloudWatch: log metric filters, alarms and the migration dashboard.

Metric filters turn the JSON log lines of the Lambdas and the state machine into metrics in the
PaymentMigration/<suffix> namespace (errors, validation mismatches, rollbacks, failed executions).
Alarms (to the alerts topic, OK to the status topic) watch DMS CDC latency against the lag
threshold, Aurora global replication lag, validation mismatches, Lambda errors, API 5XX and
failed executions. The dashboard shows replication lag and error rates side by side.
"""

import json

import pulumi
import pulumi_aws as aws

from .providers import opts


def namespace(c):
    return f"PaymentMigration/{c.environment_suffix}"


def _filter(c, name, log_group, pattern, metric, provider):
    return aws.cloudwatch.LogMetricFilter(
        c.name(name),
        name=c.name(name),
        log_group_name=log_group.name,
        pattern=pattern,
        metric_transformation={"name": metric, "namespace": namespace(c), "value": "1", "default_value": "0"},
        opts=opts(provider, parent=log_group),
    )


def _alarm(c, name, description, topics, provider, **kwargs):
    return aws.cloudwatch.MetricAlarm(
        c.name(name),
        name=c.name(name),
        alarm_description=description,
        alarm_actions=[topics["alerts"].arn],
        ok_actions=[topics["status"].arn],
        treat_missing_data=kwargs.pop("treat_missing_data", "notBreaching"),
        opts=opts(provider),
        **kwargs,
    )


def build_filters(c, fns, sfn_log_group, provider):
    filters = []
    for label, fn in fns.items():
        filters.append(_filter(c, f"{label}-errors", fn.log_group, '{ $.level = "ERROR" }', "MigrationErrors",
                               provider))
    filters.append(_filter(c, "validation-mismatches", fns["validation"].log_group,
                           '{ $.event = "validation_mismatch" }', "ValidationMismatchEvents", provider))
    if "rollback" in fns:
        filters.append(_filter(c, "rollbacks", fns["rollback"].log_group, '{ $.event = "rollback_started" }',
                               "Rollbacks", provider))
    filters.append(_filter(c, "failed-executions", sfn_log_group, '{ $.type = "ExecutionFailed" }',
                           "MigrationExecutionsFailed", provider))
    return filters


def build_alarms(c, rep, dbs, api, machine, topics, provider):
    alarms = []
    ns = namespace(c)
    task = rep.forward_task or rep.reverse_task
    alarms.append(_alarm(
        c, "replication-lag", f"DMS CDC latency above {c.replication_lag_threshold_seconds}s", topics, provider,
        namespace="AWS/DMS", metric_name="CDCLatencyTarget", statistic="Maximum", period=60, evaluation_periods=5,
        datapoints_to_alarm=3, threshold=c.replication_lag_threshold_seconds, comparison_operator="GreaterThanThreshold",
        dimensions={
            "ReplicationInstanceIdentifier": rep.instance.replication_instance_id,
            "ReplicationTaskIdentifier": task.replication_task_arn.apply(lambda a: a.split(":")[-1]),
        },
    ))
    secondary = dbs.regions[c.secondary_region].cluster
    alarms.append(_alarm(
        c, "aurora-global-lag", "Aurora global database replication lag above 5s", topics, provider,
        namespace="AWS/RDS", metric_name="AuroraGlobalDBReplicationLag", statistic="Maximum", period=60,
        evaluation_periods=3, threshold=5000, comparison_operator="GreaterThanThreshold",
        dimensions={"DBClusterIdentifier": secondary.cluster_identifier},
    ))
    for name, metric, desc in (
        ("validation-mismatch", "ValidationMismatchEvents", "Data validation found mismatching tables"),
        ("migration-errors", "MigrationErrors", "Errors logged by the migration Lambdas"),
        ("failed-executions", "MigrationExecutionsFailed", "Migration state machine execution failed"),
    ):
        alarms.append(_alarm(c, name, desc, topics, provider, namespace=ns, metric_name=metric, statistic="Sum",
                             period=60, evaluation_periods=1, threshold=0,
                             comparison_operator="GreaterThanThreshold"))
    alarms.append(_alarm(
        c, "api-5xx", "API Gateway 5XX errors during the transition", topics, provider,
        namespace="AWS/ApiGateway", metric_name="5XXError", statistic="Sum", period=60, evaluation_periods=3,
        threshold=5, comparison_operator="GreaterThanThreshold",
        dimensions={"ApiName": api.rest_api.name, "Stage": api.stage.stage_name},
    ))
    alarms.append(_alarm(
        c, "sfn-failed", "Step Functions reports failed migration executions", topics, provider,
        namespace="AWS/States", metric_name="ExecutionsFailed", statistic="Sum", period=60, evaluation_periods=1,
        threshold=0, comparison_operator="GreaterThanThreshold", dimensions={"StateMachineArn": machine.arn},
    ))
    return alarms


def dashboard_body(c, instance_id, task_ids, cluster_id, api_name, machine_arn, fn_names):
    region = c.primary_region
    ns = namespace(c)

    def widget(title, metrics, y, x=0):
        return {"type": "metric", "x": x, "y": y, "width": 12, "height": 6,
                "properties": {"title": title, "region": region, "view": "timeSeries", "stat": "Maximum",
                               "period": 60, "metrics": metrics}}

    lag = [["AWS/DMS", m, "ReplicationInstanceIdentifier", instance_id, "ReplicationTaskIdentifier", t]
           for t in task_ids for m in ("CDCLatencySource", "CDCLatencyTarget")]
    lag_widget = widget("DMS replication lag (s)", lag, 0)
    lag_widget["properties"]["annotations"] = {
        "horizontal": [{"label": "lag threshold", "value": c.replication_lag_threshold_seconds}]}
    widgets = [
        lag_widget,
        widget("Aurora global replication lag (ms)",
               [["AWS/RDS", "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", cluster_id,
                 {"region": c.secondary_region}]], 0, 12),
        widget("Migration errors and mismatches",
               [[ns, "MigrationErrors"], [ns, "ValidationMismatchEvents"], [ns, "Rollbacks"]], 6),
        widget("Lambda error rate",
               [["AWS/Lambda", "Errors", "FunctionName", n, {"stat": "Sum"}] for n in fn_names], 6, 12),
        widget("API Gateway errors",
               [["AWS/ApiGateway", "5XXError", "ApiName", api_name, {"stat": "Sum"}],
                ["AWS/ApiGateway", "4XXError", "ApiName", api_name, {"stat": "Sum"}]], 12),
        widget("Migration executions",
               [["AWS/States", m, "StateMachineArn", machine_arn, {"stat": "Sum"}]
                for m in ("ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed")], 12, 12),
    ]
    return json.dumps({"widgets": widgets}, sort_keys=True)


def build_dashboard(c, rep, dbs, api, machine, fns, provider):
    secondary = dbs.regions[c.secondary_region].cluster
    tasks = [t for t in (rep.forward_task, rep.reverse_task) if t is not None]
    body = pulumi.Output.all(
        rep.instance.replication_instance_id,
        pulumi.Output.all(*[t.replication_task_arn.apply(lambda a: a.split(":")[-1]) for t in tasks]),
        secondary.cluster_identifier,
        api.rest_api.name,
        machine.arn,
        pulumi.Output.all(*[fn.function.name for fn in fns.values()]),
    ).apply(lambda v: dashboard_body(c, *v))
    name = c.name("payment-migration")
    dashboard = aws.cloudwatch.Dashboard(c.name("migration-dashboard"), dashboard_name=name, dashboard_body=body,
                                         opts=opts(provider))
    url = dashboard.dashboard_name.apply(
        lambda n: f"https://{c.primary_region}.console.aws.amazon.com/cloudwatch/home"
                  f"?region={c.primary_region}#dashboards:name={n}"
    )
    return dashboard, url
